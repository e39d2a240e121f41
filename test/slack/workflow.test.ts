/**
 * Issue 17 on Slack, through Bolt and the Web API client against the fake Slack: a new ticket
 * assigned by round-robin with a real `<@U…>` mention, requests sent by skills, a bulk close with one refusal, and
 * time logged and totalled. Commands are signed `/helpdesk` slash commands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTriage, type Router } from '../../src/core/routing/router.ts';
import { messageEvent, slashCommand } from './builders.ts';
import type { RecordedCall } from './fake-slack.ts';
import { people, type SlackAppHarness, startSlackApp } from './support.ts';

const TRIAGE = 'C0TRIAGE';
const ALICE_DM = 'D0ALICE';

let h: SlackAppHarness;

/** Files every message; VPN trouble is `network`, access requests `access` (triage is not under test). */
const byKeyword: Router = {
  async route(input) {
    const category = /vpn/i.test(input.text) ? 'network' : /access/i.test(input.text) ? 'access' : 'other';
    return { kind: 'file', triage: { ...defaultTriage(input.text), category } };
  },
};
const carl = { id: 'U0CARL', name: 'carl', displayName: 'Carl (IT)', email: 'carl@acme.test' };
const requesters = ['ERIK', 'FIONA', 'GUS', 'HANNA'].map((name) => ({
  id: `U0${name}`,
  name: name.toLowerCase(),
  displayName: name[0] + name.slice(1).toLowerCase(),
  email: `${name.toLowerCase()}@acme.test`,
  dm: `D0${name}`,
}));

/** Runs `/helpdesk <text>` as `user` in the triage channel; returns the ephemeral answer's text. */
async function slash(user: string, text: string): Promise<string> {
  const before = h.slack.callsTo('response_url').length;
  const command = slashCommand({ user, channel: TRIAGE, text, responseUrl: h.slack.responseUrl('cmd') });
  expect((await h.post({ form: command.form })).status).toBe(200);
  await h.idle();
  const answers = h.slack.callsTo('response_url').slice(before);
  expect(answers).toHaveLength(1);
  return String(answers[0]?.args.text ?? '');
}

/** Alice files a ticket (a first DM, then `/helpdesk new …`: a later DM would follow up on the open one). */
async function aliceAsks(text: string): Promise<number> {
  const first = (await h.app.database.db.selectFrom('tickets').select('id').executeTakeFirst()) === undefined;
  if (first) await h.post({ json: messageEvent({ user: people.alice.id, channel: ALICE_DM, text }) });
  else {
    const filing = slashCommand({
      user: people.alice.id,
      channel: ALICE_DM,
      text: `new ${text}`,
      responseUrl: h.slack.responseUrl('new'),
    });
    expect((await h.post({ form: filing.form })).status).toBe(200);
  }
  await h.idle();
  const row = await h.app.database.db
    .selectFrom('tickets')
    .select('number')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.number;
}

const triagePosts = () =>
  h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === TRIAGE && c.response);
const fieldsOf = (call: RecordedCall | undefined): string =>
  (call?.args.blocks ?? [])
    .flatMap((b: { fields?: Array<{ text: string }> }) => b.fields ?? [])
    .map((f: { text: string }) => f.text)
    .join('\n');

beforeAll(async () => {
  h = await startSlackApp({ router: byKeyword });
  for (const user of [carl, ...requesters]) h.slack.addUser(user);
  await slash(people.dana.id, 'config triage-channel here');
  expect(await slash(people.dana.id, `role <@${people.bob.id}|bob> agent`)).toMatch(/agent/);
  expect(await slash(people.dana.id, 'config assignment round-robin')).toMatch(/round-robin/);
  // Dana (an admin, so in rotation too) takes herself out: every new ticket goes to Bob.
  expect(await slash(people.dana.id, 'away')).toMatch(/You are out of automatic assignment/);
});
afterAll(async () => {
  await h?.close();
});

describe('Slack: assignment, bulk actions and time', () => {
  it('assigns a new ticket by round-robin: the card shows Bob and the card thread mentions him for real', async () => {
    const number = await aliceAsks('The VPN drops every ten minutes');
    const [card] = triagePosts().filter((c) => !c.args.thread_ts);
    const cardTs = card?.response?.ts;
    const notice = triagePosts().find(
      (c) => c.args.thread_ts === cardTs && /is assigned to/.test(c.args.text),
    );
    expect(notice?.args.text).toBe(`👉 #${number} is assigned to <@${people.bob.id}> by round-robin.`);
    const update = h.slack
      .callsTo('chat.update')
      .filter((c) => c.args.ts === cardTs)
      .at(-1);
    expect(fieldsOf(update)).toContain('Bob (IT)');
    const shown = await slash(people.bob.id, `show #${number}`);
    expect(shown).toContain('assigned to Bob (IT) by round-robin');
  });

  it('closes several tickets at once and lists the one it refused, with why', async () => {
    const a = await aliceAsks('Outlook keeps asking for my password');
    const b = await aliceAsks('Teams camera is black');
    const c = await aliceAsks('Printer on 3 prints blank pages');
    expect(await slash(people.bob.id, `close #${b}`)).toBe(`Closed #${b}.`);
    const answer = await slash(people.bob.id, `close #${a} #${b} #${c}`);
    expect(answer).toBe(
      `Closed: #${a}, #${c} (2 of 3).\nRefused:\n• #${b}: Cannot do that to #${b}: the ticket is already closed.`,
    );
    const statuses = await h.app.database.db
      .selectFrom('tickets')
      .select(['number', 'status'])
      .where('number', 'in', [a, b, c])
      .orderBy('number')
      .execute();
    expect(statuses.map((t) => t.status)).toEqual(['closed', 'closed', 'closed']);
    // A requester may close their own ticket, but not several at once.
    expect(await slash(people.alice.id, `close #${a} #${c}`)).toMatch(
      /Only agents can change several tickets/,
    );
  });

  it('logs time on a ticket, refuses an absurd entry, and shows the total', async () => {
    const number = await aliceAsks('Laptop fan is very loud');
    expect(await slash(people.bob.id, `time #${number} 45m cleaned the fan`)).toBe(
      `Logged 45m on #${number}. Total: 45m (Bob (IT) 45m).`,
    );
    expect(await slash(people.bob.id, `time #${number} 30h`)).toMatch(/more than a day/);
    expect(await slash(people.dana.id, `time #${number} 1h30m`)).toMatch(/Total: 2h15m/);
    expect(await slash(people.alice.id, `time #${number} 10m`)).toMatch(/needs the agent role/);
    const shown = await slash(people.bob.id, `show #${number}`);
    expect(shown).toContain('Time logged: 2h15m (Dana (IT) 1h30m, Bob (IT) 45m)');
    expect(shown).toContain('Bob (IT) logged 45m: cleaned the fan (internal)');
    const stats = await slash(people.bob.id, 'stats');
    expect(stats).toContain('Time logged: 2h15m');
    expect(stats).toMatch(/by agent: Dana \(IT\) 1h30m, Bob \(IT\) 45m/);
  });

  it('skills: each request goes to the agent whose skills include its category, and the thread says so', async () => {
    expect(await slash(people.dana.id, `role <@${carl.id}|carl> agent`)).toMatch(/agent/);
    expect(await slash(people.dana.id, `skills <@${people.bob.id}|bob> network`)).toMatch(
      /takes network tickets/,
    );
    expect(await slash(people.dana.id, `skills <@${carl.id}|carl> access`)).toMatch(/takes access tickets/);
    expect(await slash(people.dana.id, 'config assignment skills')).toMatch(/now skills/);
    const asks = [
      'The VPN will not connect from home',
      'I need access to the SAP finance module',
      'VPN disconnects every hour',
      'Please give me access to the HR share',
    ];
    const assigned: Array<{ category: string; assignee: number | null }> = [];
    for (const [i, text] of asks.entries()) {
      const who = requesters[i];
      if (!who) continue;
      await h.post({ json: messageEvent({ user: who.id, channel: who.dm, text }) });
      await h.idle();
      const row = await h.app.database.db
        .selectFrom('tickets')
        .select(['number', 'category', 'assignee_id'])
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assigned.push({ category: row.category, assignee: row.assignee_id });
      const expected = row.category === 'network' ? people.bob.id : carl.id;
      const notice = h.slack
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === TRIAGE && String(c.args.text).startsWith(`👉 #${row.number} `));
      expect(notice?.args.text).toBe(
        `👉 #${row.number} is assigned to <@${expected}> by skills (${row.category}).`,
      );
    }
    const ids = await h.app.database.db
      .selectFrom('identities')
      .select(['user_id', 'person_id'])
      .where('user_id', 'in', [people.bob.id, carl.id])
      .execute();
    const personOf = (userId: string) => ids.find((i) => i.user_id === userId)?.person_id;
    expect(assigned).toEqual([
      { category: 'network', assignee: personOf(people.bob.id) },
      { category: 'access', assignee: personOf(carl.id) },
      { category: 'network', assignee: personOf(people.bob.id) },
      { category: 'access', assignee: personOf(carl.id) },
    ]);
  });
});

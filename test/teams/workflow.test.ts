/**
 * Issue 17 on Teams, through botbuilder against the fake Bot Connector: a new ticket assigned by
 * round-robin with a real mention (`<at>Name</at>` and a mention entity), requests sent by skills, a bulk close with one
 * refusal in it, and time logged and totalled. Commands are channel messages mentioning the bot;
 * a person is named with a mention entity as Teams records it (`mentioned: {id: "29:…", name}`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTriage, type Router } from '../../src/core/routing/router.ts';
import type { ConnectorCall } from './fake-connector.ts';
import { ALEX, fixture, startTeamsTestApp, type TeamsTestApp, TRIAGE } from './harness.ts';

const DANA_CHAT = 'a:1dana-personal-chat-with-helpdesk';
const DANA = {
  id: '29:1dana-example-teams-user-id',
  name: 'Dana Fischer',
  aadObjectId: '0b0e6a4e-1111-4a4a-9c9c-0d0a0a0a0001',
};
const BOB = {
  id: '29:1bob-example-teams-user-id',
  name: 'Bob Builder',
  aadObjectId: '0b0e6a4e-5555-4a4a-9c9c-0d0a0a0a0005',
};

const CARLA = {
  id: '29:1carla-example-teams-user-id',
  name: 'Carla Costa',
  aadObjectId: '0b0e6a4e-6666-4a4a-9c9c-0d0a0a0a0006',
};
/** Requesters, each in a 1:1 chat of their own (a second message in one chat would follow up). */
const REQUESTERS = ['erik', 'fiona', 'gus', 'hanna'].map((name, i) => ({
  member: {
    id: `29:1${name}-example-teams-user-id`,
    name: name[0]?.toUpperCase() + name.slice(1),
    aadObjectId: `0b0e6a4e-7777-4a4a-9c9c-0d0a0a0a010${i}`,
  },
  chat: `a:1${name}-personal-chat-with-helpdesk`,
  email: `${name}@example.com`,
}));

/** Files every message; VPN trouble is `network`, access requests `access` (triage is not under test). */
const byKeyword: Router = {
  async route(input) {
    const category = /vpn/i.test(input.text) ? 'network' : /access/i.test(input.text) ? 'access' : 'other';
    return { kind: 'file', triage: { ...defaultTriage(input.text), category } };
  },
};

let teams: TeamsTestApp;
let seq = 0;

type Member = typeof ALEX;

/** `who` writes in the triage channel, mentioning the bot and, where `<at>Name</at>` appears, people. */
function says(who: Member, text: string, mentions: Member[] = []) {
  const activity = fixture('channel-mention-reply', teams.connector);
  activity.id = `wf-${++seq}-${Date.now()}`;
  activity.from = who;
  activity.text = `<at>Helpdesk</at> ${text}`;
  activity.attachments = [
    {
      contentType: 'text/html',
      content: `<p>${activity.text.replace(/<at>([^<]*)<\/at>/g, '<span itemtype="http://schema.skype.com/Mention">$1</span>')}</p>`,
    },
  ];
  activity.conversation.id = TRIAGE;
  activity.channelData.channel.id = TRIAGE;
  activity.entities = [
    activity.entities[0],
    ...mentions.map((m) => ({
      mentioned: { id: m.id, name: m.name },
      text: `<at>${m.name}</at>`,
      type: 'mention',
    })),
    activity.entities[1],
  ];
  return activity;
}

function danaSays(text: string) {
  const activity = fixture('personal-message', teams.connector);
  activity.id = `dana-wf-${++seq}-${Date.now()}`;
  activity.text = text;
  return activity;
}

/** Sends the activity, waits for the helpdesk to finish, and returns what it posted meanwhile. */
async function send(activity: object): Promise<ConnectorCall[]> {
  const before = teams.connector.posted().length;
  const response = await teams.send(activity);
  expect(response.status).toBe(200);
  await teams.app.idle();
  return teams.connector.posted().slice(before);
}

/** A command's private answer: Teams has no ephemeral messages, so it goes to the sender's 1:1 chat. */
async function answer(
  who: Member,
  text: string,
  mentions: Member[] = [],
): Promise<ConnectorCall | undefined> {
  const posted = await send(says(who, `helpdesk ${text}`, mentions));
  // Not the triage channel, nor Dana's chat (a close tells the requester too): the sender's 1:1 chat.
  const answers = posted.filter(
    (call) => !call.conversationId.startsWith(TRIAGE) && call.conversationId !== DANA_CHAT,
  );
  expect(answers.length).toBeGreaterThanOrEqual(1);
  return answers.at(-1);
}

async function command(who: Member, text: string, mentions: Member[] = []): Promise<string> {
  return String((await answer(who, text, mentions))?.body.text ?? '');
}

/** Dana files a ticket with `helpdesk new …` (a plain message would follow up on her open ticket). */
async function danaAsks(text: string): Promise<number> {
  await send(danaSays(`helpdesk new ${text}`));
  const row = await teams.app.database.db
    .selectFrom('tickets')
    .select('number')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.number;
}

beforeAll(async () => {
  teams = await startTeamsTestApp({
    env: { HELPDESK_ADMINS: 'alex@example.com' },
    router: byKeyword,
  });
  teams.connector.addMember(TRIAGE, {
    ...ALEX,
    email: 'alex@example.com',
    userPrincipalName: 'alex@example.com',
  });
  teams.connector.addMember(TRIAGE, {
    ...BOB,
    email: 'bob@example.com',
    userPrincipalName: 'bob@example.com',
  });
  teams.connector.addMember(TRIAGE, {
    ...CARLA,
    email: 'carla@example.com',
    userPrincipalName: 'carla@example.com',
  });
  for (const r of REQUESTERS)
    teams.connector.addMember(r.chat, { ...r.member, email: r.email, userPrincipalName: r.email });
  teams.connector.addMember(DANA_CHAT, {
    ...DANA,
    email: 'dana@example.com',
    userPrincipalName: 'dana@example.com',
  });
  await command(ALEX, 'config triage-channel here');
  expect(await command(ALEX, 'role <at>Bob Builder</at> agent', [BOB])).toMatch(
    /Bob Builder is now an agent/,
  );
  expect(await command(ALEX, 'config assignment round-robin')).toMatch(/now round-robin/);
  // Alex (an admin, in rotation too) steps out: every new ticket goes to Bob.
  expect(await command(ALEX, 'away')).toMatch(/You are out of automatic assignment/);
});
afterAll(async () => {
  await teams?.close();
});

/** The card's facts (Status, Assignee, …) by title. */
function factsOf(card: any): Record<string, string> {
  const facts = (card?.body ?? []).find((element: any) => element.type === 'FactSet')?.facts ?? [];
  return Object.fromEntries(facts.map((fact: any) => [fact.title, fact.value]));
}

describe('Teams: assignment, bulk actions and time', () => {
  it('assigns a new ticket by round-robin: the card shows Bob and the card thread mentions him with an entity', async () => {
    const posted = await send(danaSays('My second monitor stays black after docking'));
    const card = posted.find((call) => call.conversationId === TRIAGE && call.body.attachments?.length);
    expect(card).toBeDefined();
    const notice = posted.find((call) => /is assigned to/.test(call.body.text ?? ''));
    const number = (
      await teams.app.database.db.selectFrom('tickets').select('number').executeTakeFirstOrThrow()
    ).number;
    expect(notice?.conversationId.startsWith(`${TRIAGE};messageid=`)).toBe(true);
    expect(notice?.body.text).toBe(`👉 #${number} is assigned to <at>Bob Builder</at> by round-robin.`);
    expect(notice?.body.entities).toContainEqual({
      type: 'mention',
      text: '<at>Bob Builder</at>',
      mentioned: { id: BOB.aadObjectId, name: 'Bob Builder' },
    });
    const update = teams.connector.calls.filter((call) => call.op === 'update').at(-1);
    expect(factsOf(update?.body.attachments?.[0]?.content)).toMatchObject({ Assignee: 'Bob Builder' });
  });

  it('closes several tickets at once and lists the one it refused, with why', async () => {
    const a = await danaAsks('Outlook asks for my password all the time');
    const b = await danaAsks('The Teams camera shows a black picture');
    const c = await danaAsks('The printer on floor 3 prints blank pages');
    expect(await command(BOB, `close #${b}`)).toBe(`Closed #${b}.`);
    expect(await command(BOB, `close #${a} #${b} #${c}`)).toBe(
      `Closed: #${a}, #${c} (2 of 3).\nRefused:\n• #${b}: Cannot do that to #${b}: the ticket is already closed.`,
    );
  });

  it('assigns a range of tickets to a mentioned agent', async () => {
    const first = await danaAsks('Need access to the finance share');
    const second = await danaAsks('Need access to the HR share');
    // Alex stepped out of rotation (beforeAll): assigning by hand still works, and says so.
    expect(await command(BOB, `assign #${first}-#${second} <at>Alex Agent</at>`, [ALEX])).toBe(
      `Assigned to Alex Agent (away): #${first}, #${second} (2 of 2).`,
    );
  });

  it('logs time on a ticket and shows the total', async () => {
    const number = await danaAsks('The docking station does not charge');
    expect(await command(BOB, `time #${number} 20m swapped the cable`)).toBe(
      `Logged 20m on #${number}. Total: 20m (Bob Builder 20m).`,
    );
    expect(await command(BOB, `time #${number} 0m`)).toMatch(/not a duration/);
    expect(await command(ALEX, `time #${number} 1h`)).toMatch(/Total: 1h20m/);
    // `show` answers with the ticket card: the total is one of its facts.
    const shown = await answer(BOB, `show #${number}`);
    expect(factsOf(shown?.body.attachments?.[0]?.content)).toMatchObject({
      'Time logged': '1h20m (Alex Agent 1h, Bob Builder 20m)',
    });
  });

  it('skills: each request goes to the agent whose skills include its category, mentioned in the card thread', async () => {
    expect(await command(ALEX, 'role <at>Carla Costa</at> agent', [CARLA])).toMatch(
      /Carla Costa is now an agent/,
    );
    expect(await command(ALEX, 'skills <at>Bob Builder</at> network', [BOB])).toMatch(
      /takes network tickets/,
    );
    expect(await command(ALEX, 'skills <at>Carla Costa</at> access', [CARLA])).toMatch(
      /takes access tickets/,
    );
    expect(await command(ALEX, 'config assignment skills')).toMatch(/now skills/);
    const asks = [
      'The VPN will not connect from home',
      'I need access to the SAP finance module',
      'VPN disconnects every hour',
      'Please give me access to the HR share',
    ];
    const mentioned: string[] = [];
    for (const [i, text] of asks.entries()) {
      const r = REQUESTERS[i];
      if (!r) continue;
      const activity = fixture('personal-message', teams.connector);
      activity.id = `req-${++seq}-${Date.now()}`;
      activity.from = r.member;
      activity.conversation.id = r.chat;
      activity.text = text;
      activity.attachments = [{ contentType: 'text/html', content: `<p>${text}</p>` }];
      const posted = await send(activity);
      const notice = posted.find((call) => /is assigned to/.test(call.body.text ?? ''));
      const category = i % 2 === 0 ? 'network' : 'access';
      const agent = category === 'network' ? BOB : CARLA;
      expect(notice?.body.text).toMatch(
        new RegExp(`is assigned to <at>${agent.name}</at> by skills \\(${category}\\)\\.$`),
      );
      expect(notice?.body.entities).toContainEqual({
        type: 'mention',
        text: `<at>${agent.name}</at>`,
        mentioned: { id: agent.aadObjectId, name: agent.name },
      });
      mentioned.push(agent.name);
    }
    expect(mentioned).toEqual(['Bob Builder', 'Carla Costa', 'Bob Builder', 'Carla Costa']);
  });
});

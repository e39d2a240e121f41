/**
 * Approvals and request forms through the real Bolt app: signed slash commands, DMs and clicks
 * built like the recorded payloads, a view_submission for the request form and for a denial's
 * reason, the fake Slack Web API, and the whole helpdesk (with its real router) on Postgres and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickOn, messageEvent, nextTs, slashCommand, submitView } from './builders.ts';
import type { RecordedCall } from './fake-slack.ts';
import { people, type SlackAppHarness, startSlackApp } from './support.ts';

const TRIAGE = 'C0TRIAGE';
const ALICE_DM = 'D0ALICE';
const BOB_DM = 'D0BOB';
/** An approver who never wrote to the bot: their card goes to the triage thread, mentioning them. */
const MARA = { id: 'U0MARA', name: 'mara', displayName: 'Mara', email: 'mara@acme.test' };

let h: SlackAppHarness;
const db = () => h.app.database.db;
const posts = (channel: string) =>
  h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.response);
const texts = (channel: string) => posts(channel).map((c) => String(c.args.text));
const hasAction = (call: RecordedCall, actionId: string) =>
  (call.args.blocks ?? []).some((b: { elements?: Array<{ action_id?: string }> }) =>
    (b.elements ?? []).some((e) => e.action_id?.split(/[|#]/)[0] === actionId),
  );
const updatesOf = (call: RecordedCall) =>
  h.slack.callsTo('chat.update').filter((c) => c.args.ts === call.response?.ts);

async function command(user: string, text: string, channel: string): Promise<string | undefined> {
  const before = h.slack.callsTo('response_url').length;
  const request = slashCommand({ user, channel, text, responseUrl: h.slack.responseUrl(`cmd-${nextTs()}`) });
  expect((await h.post({ form: request.form })).status).toBe(200);
  await h.idle();
  return h.slack.callsTo('response_url').slice(before).at(-1)?.args.text;
}

async function dm(user: string, channel: string, text: string): Promise<void> {
  expect((await h.post({ json: messageEvent({ user, channel, text }) })).status).toBe(200);
  await h.idle();
}

/** Clicks a button on a card the bot posted; returns the private answer, if any, and the click. */
async function click(call: RecordedCall, actionId: string, user: string) {
  const before = h.slack.callsTo('response_url').length;
  const payload = clickOn(call, actionId, {
    user,
    messageTs: call.response?.ts,
    responseUrl: h.slack.responseUrl(`click-${nextTs()}`),
    ...(call.args.thread_ts ? { threadTs: call.args.thread_ts } : {}),
  });
  expect((await h.post({ interactive: payload })).status).toBe(200);
  await h.idle();
  return { answer: h.slack.callsTo('response_url').slice(before).at(-1)?.args.text, payload };
}

const latestTicket = () =>
  db().selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
const fieldsOf = (ticketId: number) =>
  db()
    .selectFrom('ticket_fields')
    .select(['name', 'value'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();

beforeAll(async () => {
  h = await startSlackApp();
  h.slack.addUser(MARA);
  await command(people.dana.id, 'config triage-channel here', TRIAGE);
  await dm(people.bob.id, BOB_DM, 'hello');
  await dm(people.alice.id, ALICE_DM, 'hello');
  expect(await command(people.dana.id, 'approvals access', TRIAGE)).toContain('now wait for approval');
  expect(
    await command(
      people.dana.id,
      `approvers access <@${people.bob.id}|bob>,<@${MARA.id}|mara>,<@${people.alice.id}|alice>`,
      TRIAGE,
    ),
  ).toBe('access requests are now approved by Alice, Bob (IT), Mara.');
  expect(await command(people.dana.id, 'form access add "System" required', TRIAGE)).toBe(
    'The access form now asks for System (required).',
  );
  expect(
    await command(people.dana.id, 'form access add "Access level" choice read,write,admin', TRIAGE),
  ).toBe('The access form now asks for Access level: one of read, write, admin (optional).');
});
afterAll(async () => {
  await h?.close();
});

describe('Slack: a request approved', () => {
  let number: number;
  let bobCard: RecordedCall;
  let threadCard: RecordedCall;

  it('asks the requester for the missing field, and posts Approve/Deny to the approvers', async () => {
    await dm(people.alice.id, ALICE_DM, 'I need access to the SAP finance module for month-end reporting');
    const ticket = await latestTicket();
    number = ticket.number;
    expect(ticket.status).toBe('awaiting_approval');
    expect(texts(ALICE_DM).at(-1)).toBe(
      `📝 One more thing for #${number}: what is the System? Reply here, or say "skip".`,
    );
    bobCard = posts(BOB_DM).find((c) => hasAction(c, 'approval.approve')) as RecordedCall;
    expect(bobCard).toBeDefined();
    expect(hasAction(bobCard, 'approval.deny')).toBe(true);
    // Mara has no direct chat with the bot: her card is in the ticket's triage thread, mentioning her.
    threadCard = posts(TRIAGE).find(
      (c) => c.args.thread_ts && hasAction(c, 'approval.approve'),
    ) as RecordedCall;
    expect(String(threadCard?.args.text)).toContain(`<@${MARA.id}>`);
    // The requester is an approver too, but gets no card for her own request.
    expect(posts(ALICE_DM).some((c) => hasAction(c, 'approval.approve'))).toBe(false);
  });

  it('takes her next DM as the answer, shown on the ticket card', async () => {
    await dm(people.alice.id, ALICE_DM, 'SAP');
    expect(texts(ALICE_DM).at(-1)).toBe(
      `👍 Thanks, that's everything for #${number}. The IT team will reply here.`,
    );
    expect(await fieldsOf((await latestTicket()).id)).toEqual([{ name: 'System', value: 'SAP' }]);
    const ticketCard = posts(TRIAGE).find(
      (c) => !c.args.thread_ts && String(c.args.text).startsWith(`#${number} `),
    );
    const lastCard = updatesOf(ticketCard as RecordedCall).at(-1);
    expect(JSON.stringify(lastCard?.args.blocks)).toContain('*System*\\nSAP');
  });

  it("refuses the requester's own approval with a clear message", async () => {
    const { answer } = await click(threadCard, 'approval.approve', people.alice.id);
    expect(answer).toBe(
      `You asked for #${number}, so you cannot decide it yourself; one of its other approvers will.`,
    );
    expect((await latestTicket()).status).toBe('awaiting_approval');
  });

  it('opens on Approve: both approval cards show the decision and the requester is told', async () => {
    const { answer } = await click(bobCard, 'approval.approve', people.bob.id);
    expect(answer).toBeUndefined();
    expect((await latestTicket()).status).toBe('open');
    for (const posted of [bobCard, threadCard]) {
      const update = updatesOf(posted).at(-1);
      expect(update?.args.text).toBe(`✅ #${number} approved by Bob (IT)`);
      expect(hasAction(update as RecordedCall, 'approval.approve')).toBe(false);
    }
    expect(texts(ALICE_DM).at(-1)).toBe(
      `✅ Your request #${number} was approved by Bob (IT). The IT team takes it from here.`,
    );
    const event = await db()
      .selectFrom('ticket_events')
      .innerJoin('people', 'people.id', 'ticket_events.actor_id')
      .select(['people.display_name'])
      .where('ticket_events.type', '=', 'approved')
      .executeTakeFirstOrThrow();
    expect(event.display_name).toBe('Bob (IT)');
  });
});

describe('Slack: a request denied', () => {
  it('asks for the reason in a modal and sends it to the requester', async () => {
    // Her first request is done: a new DM is a new request, not a follow-up to it.
    const first = (await latestTicket()).number;
    expect(await command(people.dana.id, `resolve #${first} access granted`, TRIAGE)).toContain(`#${first}`);
    await dm(people.alice.id, ALICE_DM, 'Please give me access to the shared finance drive');
    const { id, number } = await latestTicket();
    await dm(people.alice.id, ALICE_DM, 'skip');
    const card = posts(BOB_DM)
      .filter((c) => hasAction(c, 'approval.deny'))
      .at(-1) as RecordedCall;
    const { payload } = await click(card, 'approval.deny', people.bob.id);
    const opened = h.slack.callsTo('views.open').find((c) => c.args.trigger_id === payload.trigger_id);
    expect(opened?.args.view.callback_id).toBe('approval.deny.submit');
    expect((await latestTicket()).status).toBe('awaiting_approval');

    const submitted = await h.post({
      interactive: submitView(people.bob.id, opened?.args.view, {
        note: 'Finance drive access needs a manager',
      }),
    });
    expect(submitted.status).toBe(200);
    await h.idle();
    const ticket = await latestTicket();
    expect(ticket).toMatchObject({ id, status: 'closed' });
    expect(texts(ALICE_DM).at(-1)).toBe(
      `⛔ Your request #${number} was denied by Bob (IT): Finance drive access needs a manager`,
    );
    expect(updatesOf(card).at(-1)?.args.text).toBe(
      `⛔ #${number} denied by Bob (IT): Finance drive access needs a manager`,
    );
  });
});

describe('Slack: the request form', () => {
  it('opens as a modal from `/helpdesk new access`; its submission files the request with the values', async () => {
    const request = slashCommand({
      user: people.alice.id,
      channel: ALICE_DM,
      text: 'new access',
      responseUrl: h.slack.responseUrl(`cmd-${nextTs()}`),
    });
    expect((await h.post({ form: request.form })).status).toBe(200);
    await h.idle();
    const opened = h.slack.callsTo('views.open').find((c) => c.args.trigger_id === request.triggerId);
    expect(opened?.args.view.callback_id).toBe('ticket.new.submit');
    const blocks = opened?.args.view.blocks as Array<{
      label: { text: string };
      element: { action_id: string };
    }>;
    const idOf = (label: string) => blocks.find((b) => b.label.text === label)?.element.action_id ?? '';
    expect(blocks.map((b) => b.label.text)).toEqual(['Title', 'What do you need?', 'System', 'Access level']);

    const submitted = await h.post({
      interactive: submitView(people.alice.id, opened?.args.view, {
        [idOf('Title')]: 'Workday write access',
        [idOf('What do you need?')]: 'I need to update cost centres in Workday',
        [idOf('System')]: 'Workday',
        [idOf('Access level')]: 'write',
      }),
    });
    expect(submitted.status).toBe(200);
    await h.idle();
    const ticket = await latestTicket();
    expect(ticket).toMatchObject({
      title: 'Workday write access',
      category: 'access',
      status: 'awaiting_approval',
    });
    expect(await fieldsOf(ticket.id)).toEqual([
      { name: 'System', value: 'Workday' },
      { name: 'Access level', value: 'write' },
    ]);
    expect(texts(ALICE_DM).at(-1)).toContain(`your request #${ticket.number}`);
  });
});

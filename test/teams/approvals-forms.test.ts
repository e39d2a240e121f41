/**
 * Approvals and request forms in Microsoft Teams, through the real CloudAdapter and the fake Bot
 * Connector: Action.Execute invokes on the approval card (Approve, Deny with its reason typed into
 * a card input), the requester's own approval refused in the invoke answer, the request form card
 * submitted, and a personal-chat request asked for its missing field; the same through the
 * Action.Submit fallback (a message with only `value`) that clients without Universal Actions send.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toChatEvent } from '../../src/bots/teams/to-chat-event.ts';
import { accept } from '../../src/core/inbox/inbox.ts';
import { invokeAnswerHold } from '../../src/core/outbox/invoke-answer.ts';
import { queueMessage } from '../../src/core/outbox/outbox.ts';
import { unitOfWork } from '../../src/core/unit-of-work.ts';
import type { ConnectorCall } from './fake-connector.ts';
import { ALEX, BOT_ID, fixture, startTeamsTestApp, TENANT, type TeamsTestApp, TRIAGE } from './harness.ts';

const DANA_CHAT = 'a:1dana-personal-chat-with-helpdesk';
const DANA = {
  id: '29:1dana-example-teams-user-id',
  name: 'Dana Fischer',
  aadObjectId: '0b0e6a4e-1111-4a4a-9c9c-0d0a0a0a0001',
};
const PRIYA_CHAT = 'a:1priya-personal-chat-with-helpdesk';
const PRIYA = {
  id: '29:1priya-example-teams-user-id',
  name: 'Priya Nair',
  aadObjectId: '0b0e6a4e-2222-4a4a-9c9c-0d0a0a0a0002',
};
/** An approver who never wrote to the bot: the card for her goes to the triage thread. */
const OMAR = {
  id: '29:1omar-example-teams-user-id',
  name: 'Omar Haddad',
  aadObjectId: '0b0e6a4e-3333-4a4a-9c9c-0d0a0a0a0003',
};

const CARD_ANSWER = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_ANSWER = 'application/vnd.microsoft.activity.message';

let teams: TeamsTestApp;
let seq = 0;

/** A mention entity as Teams sends it: the 29: id and the name, no aadObjectId. */
const mention = (who: { id: string; name: string }) => ({
  mentioned: { id: who.id, name: who.name },
  text: `<at>${who.name}</at>`,
  type: 'mention',
});

function alexSays(text: string, mentions: Array<{ id: string; name: string }> = []) {
  const activity = fixture('channel-mention-reply', teams.connector);
  activity.id = `alex-${++seq}-${Date.now()}`;
  activity.from = ALEX;
  activity.text = `<at>Helpdesk</at> ${text}`;
  activity.conversation.id = TRIAGE;
  activity.channelData.channel.id = TRIAGE;
  activity.entities = [...(activity.entities ?? []), ...mentions.map(mention)];
  return activity;
}

function says(who: typeof DANA, chat: string, text: string) {
  const activity = fixture('personal-message', teams.connector);
  activity.id = `${who.name.split(' ')[0]}-${++seq}-${Date.now()}`;
  activity.from = who;
  activity.conversation.id = chat;
  activity.text = text;
  activity.attachments = [];
  return activity;
}

/** Pressing an Action.Execute button on the card `cardId`, in a personal chat or the triage channel. */
function presses(
  who: typeof DANA,
  chat: string,
  verb: string,
  data: Record<string, unknown>,
  cardId: string,
) {
  const activity = fixture('action-execute-claim', teams.connector);
  activity.id = `f:press-${++seq}-${Date.now()}`;
  activity.from = who;
  activity.replyToId = cardId;
  activity.value.action = { type: 'Action.Execute', title: verb, verb, data };
  if (chat.startsWith('a:')) {
    activity.conversation = { id: chat, conversationType: 'personal', tenantId: TENANT };
    activity.channelData = { tenant: { id: TENANT }, source: { name: 'message' } };
  } else {
    activity.conversation.id = `${TRIAGE};messageid=${chat}`;
  }
  return activity;
}

async function send(activity: object) {
  const response = await teams.send(activity);
  expect(response.status).toBe(200);
  await teams.app.idle();
  return response;
}

const cardOf = (call: ConnectorCall | undefined) => call?.body?.attachments?.[0]?.content;
const sentTo = (conversationId: string) =>
  teams.connector.posted().filter((call) => call.conversationId === conversationId);
const textsTo = (conversationId: string) =>
  sentTo(conversationId).map((call) => String(call.body.text ?? ''));
const titleOf = (card: any): string => {
  const first = card?.body?.[0];
  return first?.items?.[0]?.text ?? first?.text ?? '';
};
function executeAction(card: any, verb: string): any {
  const all = [
    ...(card?.actions ?? []),
    ...(card?.body ?? []).flatMap((element: any) => element.actions ?? []),
  ];
  return all.find((action: any) => action.verb === verb);
}

const db = () => teams.app.database.db;
const latestTicket = () =>
  db().selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
/** The platform ids of the approval cards posted for a ticket, by the conversation they are in. */
async function approvalCards(ticketId: number): Promise<Array<{ channel: string; id: string }>> {
  const rows = await db()
    .selectFrom('outbox')
    .select(['target', 'platform_message_id'])
    .where('ticket_id', '=', ticketId)
    .where('purpose', '=', 'approval-card')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ channel: row.target.channel, id: row.platform_message_id ?? '' }));
}

beforeAll(async () => {
  teams = await startTeamsTestApp({ env: { HELPDESK_ADMINS: 'alex@example.com' } });
  for (const member of [ALEX, DANA, PRIYA, OMAR]) {
    const email = `${member.name.split(' ')[0]?.toLowerCase()}@example.com`;
    teams.connector.addMember(TRIAGE, { ...member, email, userPrincipalName: email });
  }
  teams.connector.addMember(DANA_CHAT, {
    ...DANA,
    email: 'dana@example.com',
    userPrincipalName: 'dana@example.com',
  });
  teams.connector.addMember(PRIYA_CHAT, {
    ...PRIYA,
    email: 'priya@example.com',
    userPrincipalName: 'priya@example.com',
  });
  await send(alexSays('helpdesk config triage-channel here'));
  await send(says(PRIYA, PRIYA_CHAT, 'hello'));
  await send(alexSays('helpdesk approvals access'));
  await send(
    alexSays(`helpdesk approvers access <at>${PRIYA.name}</at>,<at>${OMAR.name}</at>,<at>${DANA.name}</at>`, [
      PRIYA,
      OMAR,
      DANA,
    ]),
  );
  await send(alexSays('helpdesk form access add "System" required'));
  await send(alexSays('helpdesk form access add "Access level" choice read,write,admin'));
  const approvers = await db()
    .selectFrom('approvers')
    .innerJoin('people', 'people.id', 'approvers.person_id')
    .select('people.display_name')
    .orderBy('people.display_name')
    .execute();
  expect(approvers.map((row) => row.display_name)).toEqual(['Dana Fischer', 'Omar Haddad', 'Priya Nair']);
});
afterAll(async () => {
  await teams?.close();
});

describe('Teams: a request approved', () => {
  let ticketId: number;
  let number: number;

  it('asks for the missing field in the personal chat and sends the approvers the card', async () => {
    await send(says(DANA, DANA_CHAT, 'I need access to the SAP finance module for month-end reporting'));
    ({ id: ticketId, number } = await latestTicket());
    expect((await latestTicket()).status).toBe('awaiting_approval');
    expect(textsTo(DANA_CHAT).at(-1)).toBe(
      `📝 One more thing for #${number}: what is the System? Reply here, or say "skip".`,
    );
    const cards = await approvalCards(ticketId);
    expect(cards.map((card) => card.channel)).toEqual([PRIYA_CHAT, TRIAGE]);
    const priyaCard = cardOf(
      sentTo(PRIYA_CHAT).find((call) => executeAction(cardOf(call), 'approval.approve')),
    );
    expect(executeAction(priyaCard, 'approval.deny')).toBeDefined();
    // Omar is mentioned with a real Teams mention beside the card in the triage thread.
    const threadCard = cardOf(
      sentTo(
        `${TRIAGE};messageid=${(await db().selectFrom('ticket_threads').select('thread').where('role', '=', 'triage').executeTakeFirstOrThrow()).thread}`,
      ).find((call) => executeAction(cardOf(call), 'approval.approve')),
    );
    expect(threadCard?.msteams?.entities).toContainEqual({
      type: 'mention',
      text: `<at>${OMAR.name}</at>`,
      mentioned: { id: OMAR.aadObjectId, name: OMAR.name },
    });

    await send(says(DANA, DANA_CHAT, 'SAP'));
    expect(textsTo(DANA_CHAT).at(-1)).toBe(
      `👍 Thanks, that's everything for #${number}. The IT team will reply here.`,
    );
  });

  it("refuses the requester's own approval in the invoke answer", async () => {
    const thread = (await approvalCards(ticketId)).find((card) => card.channel === TRIAGE);
    const response = await send(
      presses(DANA, thread?.id ?? '', 'approval.approve', { value: String(ticketId) }, thread?.id ?? ''),
    );
    expect(response.body).toEqual({
      statusCode: 200,
      type: MESSAGE_ANSWER,
      value: `You asked for #${number}, so you cannot decide it yourself; one of its other approvers will.`,
    });
    expect((await latestTicket()).status).toBe('awaiting_approval');
  });

  it('opens on Approve: the invoke answer and every approval card show it, and the requester is told', async () => {
    const card = (await approvalCards(ticketId)).find((c) => c.channel === PRIYA_CHAT);
    const response = await send(
      presses(PRIYA, PRIYA_CHAT, 'approval.approve', { value: String(ticketId) }, card?.id ?? ''),
    );
    expect(response.body).toMatchObject({ statusCode: 200, type: CARD_ANSWER });
    expect(titleOf(response.body.value)).toBe(`✅ #${number} approved by Priya Nair`);
    expect(executeAction(response.body.value, 'approval.approve')).toBeUndefined();
    expect((await latestTicket()).status).toBe('open');
    for (const posted of await approvalCards(ticketId)) {
      const update = teams.connector.calls
        .filter((c) => c.op === 'update' && c.activityId === posted.id)
        .at(-1);
      expect(titleOf(cardOf(update))).toBe(`✅ #${number} approved by Priya Nair`);
    }
    expect(textsTo(DANA_CHAT).at(-1)).toBe(
      `✅ Your request #${number} was approved by Priya Nair. The IT team takes it from here.`,
    );
  });
});

describe('Teams: a request denied', () => {
  it('asks for the reason in a card input and sends it to the requester', async () => {
    const first = await latestTicket();
    await send(alexSays(`helpdesk resolve #${first.number} access granted`));
    await send(says(DANA, DANA_CHAT, 'Please give me access to the shared finance drive'));
    const { id, number } = await latestTicket();
    expect(id).not.toBe(first.id);
    await send(says(DANA, DANA_CHAT, 'skip'));
    const card = (await approvalCards(id)).find((c) => c.channel === PRIYA_CHAT);
    await send(presses(PRIYA, PRIYA_CHAT, 'approval.deny', { value: String(id) }, card?.id ?? ''));
    const form = sentTo(PRIYA_CHAT)
      .map(cardOf)
      .find((content) => executeAction(content, 'approval.deny.submit'));
    expect(form?.body.some((element: any) => element.type === 'Input.Text' && element.id === 'note')).toBe(
      true,
    );
    expect((await latestTicket()).status).toBe('awaiting_approval');

    const submit = executeAction(form, 'approval.deny.submit');
    await send(
      presses(
        PRIYA,
        PRIYA_CHAT,
        'approval.deny.submit',
        { ...submit.data, note: 'Ask your manager first' },
        'form',
      ),
    );
    expect((await latestTicket()).status).toBe('closed');
    expect(textsTo(DANA_CHAT).at(-1)).toBe(
      `⛔ Your request #${number} was denied by Priya Nair: Ask your manager first`,
    );
    const update = teams.connector.calls.filter((c) => c.op === 'update' && c.activityId === card?.id).at(-1);
    expect(titleOf(cardOf(update))).toBe(`⛔ #${number} denied by Priya Nair`);
  });
});

describe('Teams: the request form', () => {
  it('posts the form card for `helpdesk new access`; its Action.Execute submit files the request with the values', async () => {
    await send(says(DANA, DANA_CHAT, 'helpdesk new access'));
    const form = sentTo(DANA_CHAT)
      .map(cardOf)
      .find((content) => executeAction(content, 'ticket.new.submit'));
    const inputs = (form?.body ?? []).filter((element: any) => String(element.type).startsWith('Input.'));
    expect(inputs.map((input: any) => input.label)).toEqual([
      'Title',
      'What do you need?',
      'System',
      'Access level',
    ]);
    const idOf = (label: string) => inputs.find((input: any) => input.label === label)?.id;
    expect(inputs.find((input: any) => input.label === 'Access level')?.choices).toHaveLength(3);

    const submit = executeAction(form, 'ticket.new.submit');
    await send(
      presses(
        DANA,
        DANA_CHAT,
        'ticket.new.submit',
        {
          ...submit.data,
          [idOf('What do you need?')]: 'I need to update cost centres in Workday',
          [idOf('System')]: 'Workday',
          [idOf('Access level')]: 'write',
        },
        'form',
      ),
    );
    const ticket = await latestTicket();
    expect(ticket).toMatchObject({ category: 'access', status: 'awaiting_approval' });
    const fields = await db()
      .selectFrom('ticket_fields')
      .select(['name', 'value'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(fields).toEqual([
      { name: 'System', value: 'Workday' },
      { name: 'Access level', value: 'write' },
    ]);
  });
});

/**
 * A press on the `Action.Submit` fallback of one of our buttons, as a Teams client without Universal
 * Actions sends it: a message activity with only `value` (the fallback's data plus the card's
 * inputs), built on the recorded fixture 24 (test/fixtures/recorded/teams/SOURCES.md).
 */
function submits(who: typeof DANA, chat: string, value: Record<string, unknown>, cardId: string) {
  const recorded = JSON.parse(
    readFileSync(
      new URL('../fixtures/recorded/teams/24-action-submit-message-value-only.json', import.meta.url),
      'utf8',
    ),
  ).activity;
  const activity = {
    ...recorded,
    id: `f:submit-${++seq}-${Date.now()}`,
    serviceUrl: teams.connector.serviceUrl,
    recipient: { id: BOT_ID, name: 'Helpdesk' },
    from: who,
    replyToId: cardId,
    value,
  };
  if (chat.startsWith('a:')) {
    activity.conversation = { id: chat, conversationType: 'personal', tenantId: TENANT };
    activity.channelData = { tenant: { id: TENANT }, source: { name: 'message' } };
  } else {
    activity.conversation = { ...recorded.conversation, id: `${TRIAGE};messageid=${chat}`, tenantId: TENANT };
    activity.channelData = {
      ...recorded.channelData,
      channel: { id: TRIAGE },
      tenant: { id: TENANT },
    };
  }
  return activity;
}

/** A card message id in the triage channel that no test posts to (the hold test records only). */
const TRIAGE_CARD = '1764490599999';

const lastInboundId = async () =>
  (
    await db()
      .selectFrom('inbound_events')
      .select(({ fn }) => fn.max('id').as('id'))
      .executeTakeFirst()
  )?.id ?? 0;

describe('Teams: Action.Submit, for clients without Universal Actions', () => {
  let ticketId: number;
  let number: number;

  it('files the request form submitted through the Action.Submit fallback, once', async () => {
    await send(says(DANA, DANA_CHAT, 'helpdesk new access'));
    const posted = sentTo(DANA_CHAT).filter((call) => executeAction(cardOf(call), 'ticket.new.submit'));
    const form = cardOf(posted.at(-1));
    const inputs = (form?.body ?? []).filter((element: any) => String(element.type).startsWith('Input.'));
    const idOf = (label: string) => inputs.find((input: any) => input.label === label)?.id;
    const fallback = executeAction(form, 'ticket.new.submit').fallback;
    expect(fallback).toMatchObject({ type: 'Action.Submit', data: { verb: 'ticket.new.submit' } });

    const before = await latestTicket();
    const press = submits(
      DANA,
      DANA_CHAT,
      {
        ...fallback.data,
        [idOf('What do you need?')]: 'Admin rights on the ServiceNow test instance',
        [idOf('System')]: 'ServiceNow',
        [idOf('Access level')]: 'admin',
      },
      String(posted.at(-1)?.activityId ?? 'form'),
    );
    const response = await send(press);
    expect(response.body).toBeUndefined();
    const ticket = await latestTicket();
    expect(ticket.id).not.toBe(before.id);
    expect(ticket).toMatchObject({ category: 'access', status: 'awaiting_approval' });
    ({ id: ticketId, number } = ticket);
    const fields = await db()
      .selectFrom('ticket_fields')
      .select(['name', 'value'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(fields).toEqual([
      { name: 'System', value: 'ServiceNow' },
      { name: 'Access level', value: 'admin' },
    ]);

    // Teams redelivers the same activity: recorded once (same activity id), nothing filed twice.
    await send(press);
    expect((await latestTicket()).id).toBe(ticket.id);
    const recorded = await db()
      .selectFrom('inbound_events')
      .select('id')
      .where('platform', '=', 'teams')
      .where('event_id', '=', press.id)
      .execute();
    expect(recorded).toHaveLength(1);
  });

  it("refuses the requester's own Approve pressed through Action.Submit, in their 1:1 chat", async () => {
    const thread = (await approvalCards(ticketId)).find((card) => card.channel === TRIAGE);
    const threadCard = cardOf(
      teams.connector
        .posted()
        .filter((c) => c.conversationId.startsWith(TRIAGE))
        .find((c) => executeAction(cardOf(c), 'approval.approve')?.data?.value === String(ticketId)),
    );
    const approve = executeAction(threadCard, 'approval.approve');
    expect(approve.fallback.data).toEqual({ value: String(ticketId), verb: 'approval.approve' });
    const before = teams.connector.calls.length;

    const response = await send(submits(DANA, thread?.id ?? '', approve.fallback.data, thread?.id ?? ''));
    expect(response.body).toBeUndefined();
    expect((await latestTicket()).status).toBe('awaiting_approval');
    const calls = teams.connector.calls.slice(before);
    const opened = calls.find((c) => c.op === 'create-conversation');
    expect(opened?.body.members).toEqual([{ id: DANA.aadObjectId, name: '' }]);
    const refusal = calls.find((c) => c.op === 'send' && c.conversationId.startsWith('a:fake-1on1-'));
    expect(refusal?.body.text).toBe(
      `You asked for #${number}, so you cannot decide it yourself; one of its other approvers will.`,
    );
  });

  it('opens the request on Approve pressed through Action.Submit; every approval card shows it', async () => {
    const card = (await approvalCards(ticketId)).find((c) => c.channel === PRIYA_CHAT);
    const priyaCard = cardOf(
      sentTo(PRIYA_CHAT).find(
        (c) => executeAction(cardOf(c), 'approval.approve')?.data?.value === String(ticketId),
      ),
    );
    const approve = executeAction(priyaCard, 'approval.approve');
    await send(submits(PRIYA, PRIYA_CHAT, approve.fallback.data, card?.id ?? ''));
    expect((await latestTicket()).status).toBe('open');
    for (const posted of await approvalCards(ticketId)) {
      const update = teams.connector.calls
        .filter((c) => c.op === 'update' && c.activityId === posted.id)
        .at(-1);
      expect(titleOf(cardOf(update))).toBe(`✅ #${number} approved by Priya Nair`);
    }
    expect(textsTo(DANA_CHAT).at(-1)).toBe(
      `✅ Your request #${number} was approved by Priya Nair. The IT team takes it from here.`,
    );
  });

  it('never holds the private answer of an Action.Submit press for an invoke answer it cannot have', async () => {
    // Recorded only (not processed), each with a pending private answer as a refusal would queue.
    const recordOnly = { db: db(), log: teams.app.deps.log, jobs: { enqueue: async () => {} } };
    const holdOf = async (activity: Record<string, any>) => {
      const event = toChatEvent(activity as never);
      if (event.kind !== 'action') throw new Error(`expected an action, got ${event.kind}`);
      const { id } = await accept(recordOnly, event);
      const outboxId = await unitOfWork(teams.app.deps, (tx) =>
        queueMessage(tx, {
          key: `result-${id}`,
          op: 'ephemeral',
          target: event.conversation,
          userId: event.sender.userId,
          message: { text: 'Only agents can do that.' },
        }),
      );
      const row = await db()
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', outboxId as number)
        .executeTakeFirst();
      const hold = await invokeAnswerHold(db(), row);
      // Never processed or sent: taken out again so the helpdesk is idle for the tests that follow.
      await db()
        .deleteFrom('outbox')
        .where('id', '=', outboxId as number)
        .execute();
      await db().updateTable('inbound_events').set({ status: 'done' }).where('id', '=', id).execute();
      return hold;
    };
    const viaSubmit = submits(OMAR, TRIAGE_CARD, { value: '1', verb: 'ticket.claim' }, TRIAGE_CARD);
    const viaExecute = presses(OMAR, TRIAGE_CARD, 'ticket.claim', { value: '1' }, TRIAGE_CARD);
    expect(await holdOf(viaSubmit)).toBe(0);
    // The invoke's answer is held (5 s from its arrival) so the adapter can claim it.
    expect(await holdOf(viaExecute)).toBeGreaterThan(0);
  });

  it('ignores, unrecorded, a value-only message without our action id or with a verb we never rendered', async () => {
    const before = teams.connector.calls.length;
    const lastInbound = await lastInboundId();
    const foreign = JSON.parse(
      readFileSync(
        new URL('../fixtures/recorded/teams/24-action-submit-message-value-only.json', import.meta.url),
        'utf8',
      ),
    ).activity;
    foreign.serviceUrl = teams.connector.serviceUrl;
    foreign.recipient = { id: BOT_ID, name: 'Helpdesk' };
    await send(foreign);
    await send(submits(DANA, DANA_CHAT, { verb: 'ticket.explode', value: String(ticketId) }, 'form'));
    expect(await lastInboundId()).toBe(lastInbound);
    expect(teams.connector.calls.slice(before)).toEqual([]);
    expect((await latestTicket()).status).toBe('open');
  });
});

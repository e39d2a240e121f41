import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorCall } from './fake-connector.ts';
import { ALEX, BOT_ID, fixture, startTeamsTestApp, TENANT, type TeamsTestApp, TRIAGE } from './harness.ts';

const DANA_CHAT = 'a:1dana-personal-chat-with-helpdesk';
const DANA = {
  id: '29:1dana-example-teams-user-id',
  name: 'Dana Fischer',
  aadObjectId: '0b0e6a4e-1111-4a4a-9c9c-0d0a0a0a0001',
};

let teams: TeamsTestApp;
let seq = 0;

/** A message from Alex in the triage channel (a reply in `thread` when given), mentioning the bot. */
function alexSays(text: string, thread?: string) {
  const activity = fixture('channel-mention-reply', teams.connector);
  activity.id = `alex-${++seq}-${Date.now()}`;
  activity.from = ALEX;
  activity.text = `<at>Helpdesk</at> ${text}`;
  activity.conversation.id = thread ? `${TRIAGE};messageid=${thread}` : TRIAGE;
  activity.channelData.channel.id = TRIAGE;
  return activity;
}

function danaSays(text: string) {
  const activity = fixture('personal-message', teams.connector);
  activity.id = `dana-${++seq}-${Date.now()}`;
  activity.text = text;
  return activity;
}

/** Alex pressing an Action.Execute button on the card `cardId` in the triage channel. */
function alexPresses(verb: string, data: Record<string, unknown>, cardId: string) {
  const activity = fixture('action-execute-claim', teams.connector);
  activity.id = `f:press-${++seq}-${Date.now()}`;
  activity.from = ALEX;
  activity.conversation.id = `${TRIAGE};messageid=${cardId}`;
  activity.replyToId = cardId;
  activity.value.action = { type: 'Action.Execute', title: verb, verb, data };
  return activity;
}

/** Dana pressing a button on a card the bot posted in her 1:1 chat. */
function danaPresses(verb: string, data: Record<string, unknown>, cardId: string) {
  const activity = fixture('action-execute-claim', teams.connector);
  activity.id = `f:dana-press-${++seq}-${Date.now()}`;
  activity.from = DANA;
  activity.conversation = { id: DANA_CHAT, conversationType: 'personal', tenantId: TENANT };
  activity.channelData = { tenant: { id: TENANT }, source: { name: 'message' } };
  activity.replyToId = cardId;
  activity.value.action = { type: 'Action.Execute', title: verb, verb, data };
  return activity;
}

async function send(activity: object) {
  const response = await teams.send(activity);
  expect(response.status).toBe(200);
  await teams.app.idle();
  return response;
}

const cardOf = (call: ConnectorCall | undefined) => call?.body?.attachments?.[0]?.content;
const textOf = (call: ConnectorCall) => JSON.stringify(call.body);
const sentTo = (conversationId: string) =>
  teams.connector.posted().filter((call) => call.conversationId === conversationId);

const CARD_ANSWER = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_ANSWER = 'application/vnd.microsoft.activity.message';

/** The card's facts (Status, Assignee, Priority…) by title. */
function factsOf(card: any): Record<string, string> {
  const facts = (card?.body ?? []).find((element: any) => element.type === 'FactSet')?.facts ?? [];
  return Object.fromEntries(facts.map((fact: any) => [fact.title, fact.value]));
}

function executeAction(card: any, verb: string): any {
  const all = [
    ...(card.actions ?? []),
    ...(card.body ?? []).flatMap((element: any) => element.actions ?? []),
  ];
  return all.find((action: any) => action.verb === verb);
}

beforeAll(async () => {
  teams = await startTeamsTestApp({ env: { HELPDESK_ADMINS: 'alex@example.com' } });
  teams.connector.addMember(TRIAGE, {
    ...ALEX,
    email: 'alex@example.com',
    userPrincipalName: 'alex@example.com',
  });
  teams.connector.addMember(DANA_CHAT, {
    ...DANA,
    email: 'dana@example.com',
    userPrincipalName: 'dana@example.com',
  });
});
afterAll(async () => {
  await teams?.close();
});

describe('the helpdesk in Microsoft Teams', () => {
  let cardId = '';
  let ticketValue = '';

  it('welcomes the team when the bot is installed in the triage channel', async () => {
    const installed = fixture('bot-added-to-team', teams.connector);
    installed.conversation.id = TRIAGE;
    await send(installed);
    const [welcome] = sentTo(TRIAGE);
    expect(welcome?.body.text).toMatch(/helpdesk config triage-channel here/);
    expect(welcome?.body.from?.id ?? BOT_ID).toBe(BOT_ID);
  });

  it('lets the admin (known by the e-mail from the Teams roster) make that channel the triage channel', async () => {
    await send(alexSays('helpdesk config triage-channel here'));
    const setting = await teams.app.database.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'triage-channel:teams')
      .executeTakeFirst();
    expect(setting?.value).toMatchObject({ platform: 'teams', tenant: TENANT, channel: TRIAGE });
    // Command answers are private: Teams has no ephemeral messages, so it arrives in Alex's 1:1 chat.
    const create = teams.connector.calls.find((call) => call.op === 'create-conversation');
    expect(create?.body.members).toEqual([{ id: ALEX.aadObjectId, name: '' }]);
  });

  it('files a ticket from a personal message and posts its card as a new thread in the triage channel', async () => {
    await send(danaSays('My laptop will not connect to the office VPN since this morning'));
    const card = sentTo(TRIAGE).find((call) => cardOf(call)?.type === 'AdaptiveCard');
    expect(card).toBeDefined();
    expect(textOf(card!)).toMatch(/VPN/);
    expect(card?.conversationId).toBe(TRIAGE);
    cardId = await cardMessageId();
    ticketValue = executeAction(cardOf(card), 'ticket.claim').data.value;
    expect(ticketValue).toBeTruthy();
    expect(sentTo(DANA_CHAT).some((call) => /#\d+/.test(textOf(call)))).toBe(true);
  });

  it('claims the ticket with Action.Execute: the invoke answer is the refreshed card, and the card is updated for everyone', async () => {
    const response = await send(alexPresses('ticket.claim', { value: ticketValue }, cardId));
    expect(response.body).toMatchObject({
      statusCode: 200,
      type: CARD_ANSWER,
      value: { type: 'AdaptiveCard', version: '1.5' },
    });
    const card = response.body.value;
    expect(factsOf(card)).toMatchObject({ Assignee: 'Alex Agent', Status: '🔧 Open' });
    expect(executeAction(card, 'ticket.claim')).toBeUndefined();
    // The invoke answer replaces the card for Alex only; updateActivity replaces it for the channel.
    const update = teams.connector.calls
      .filter((call) => call.op === 'update' && call.activityId === cardId)
      .at(-1);
    expect(cardOf(update)).toEqual(card);
  });

  it('answers a press that is not processed in time with a short message, and updates the card once it runs', async () => {
    const release = teams.holdProcessing();
    const press = alexPresses(
      'ticket.priority',
      { input: 'priority', priority: `${ticketValue}:P1` },
      cardId,
    );
    const started = Date.now();
    const response = await teams.send(press);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(response).toEqual({
      status: 200,
      body: { statusCode: 200, type: MESSAGE_ANSWER, value: expect.any(String) },
    });
    const recorded = await teams.app.database.db
      .selectFrom('inbound_events')
      .select('status')
      .where('event_id', '=', press.id)
      .executeTakeFirstOrThrow();
    expect(recorded.status).toBe('pending');

    const updates = () =>
      teams.connector.calls.filter((call) => call.op === 'update' && call.activityId === cardId);
    const before = updates().length;
    await release();
    await teams.app.idle();
    const ticket = await teams.app.database.db
      .selectFrom('tickets')
      .select('priority')
      .executeTakeFirstOrThrow();
    expect(ticket.priority).toBe('P1');
    expect(updates().length).toBeGreaterThan(before);
    expect(factsOf(cardOf(updates().at(-1)))).toMatchObject({ Priority: 'P1' });
  });

  it('answers "Refresh card" with the latest card, and records nothing', async () => {
    const events = async () =>
      (await teams.app.database.db.selectFrom('inbound_events').select('id').execute()).length;
    const before = await events();
    const response = await send(alexPresses('card.refresh', {}, cardId));
    expect(response.body).toMatchObject({ statusCode: 200, type: CARD_ANSWER });
    expect(factsOf(response.body.value)).toMatchObject({ Assignee: 'Alex Agent', Priority: 'P1' });
    expect(await events()).toBe(before);

    const unknown = await send(alexPresses('card.refresh', {}, '1700000000000'));
    expect(unknown.body).toMatchObject({ statusCode: 200, type: MESSAGE_ANSWER });
  });

  it('relays the agent reply in the card thread to the requester, and keeps notes internal', async () => {
    const before = sentTo(DANA_CHAT).length;
    await send(alexSays('Please restart the VPN client and try again', cardId));
    await send(alexSays('note: checked the gateway logs, nothing there', cardId));
    const relayed = sentTo(DANA_CHAT).slice(before).map(textOf).join('\n');
    expect(relayed).toMatch(/restart the VPN client/);
    expect(relayed).not.toMatch(/gateway logs/);
  });

  it('relays the requester reply back into the card thread', async () => {
    await send(danaSays('Restarted it, still broken'));
    const chain = sentTo(`${TRIAGE};messageid=${cardId}`).map(textOf).join('\n');
    expect(chain).toMatch(/still broken/);
  });

  it('resolves through the form card and asks the requester for a rating', async () => {
    await send(alexPresses('ticket.resolve', { value: ticketValue }, cardId));
    const form = sentTo(`${TRIAGE};messageid=${cardId}`)
      .map(cardOf)
      .find((content) => executeAction(content ?? {}, 'ticket.resolve.submit'));
    expect(form).toBeDefined();
    const submit = executeAction(form, 'ticket.resolve.submit');
    await send(
      alexPresses('ticket.resolve.submit', { ...submit.data, note: 'Reinstalled the VPN client' }, cardId),
    );

    const ticket = await teams.app.database.db
      .selectFrom('tickets')
      .select(['status', 'resolution'])
      .executeTakeFirstOrThrow();
    expect(ticket).toEqual({ status: 'resolved', resolution: 'Reinstalled the VPN client' });
    const csat = sentTo(DANA_CHAT)
      .map(cardOf)
      .find((content) => executeAction(content ?? {}, 'csat.rate'));
    expect(csat).toBeDefined();
  });

  it('answers a CSAT press with the card showing the rating, marked on the scale; a second click changes it', async () => {
    const csat = await teams.app.database.db
      .selectFrom('outbox')
      .select('platform_message_id')
      .where('purpose', '=', 'csat')
      .executeTakeFirstOrThrow();
    const csatId = csat.platform_message_id ?? '';
    expect(csatId).toBeTruthy();
    const ticket = await teams.app.database.db
      .selectFrom('tickets')
      .select(['number'])
      .executeTakeFirstOrThrow();
    const rating = async () =>
      (await teams.app.database.db.selectFrom('tickets').select('csat').executeTakeFirstOrThrow()).csat;
    const scale = (card: any) =>
      (card?.actions ?? [])
        .filter((action: any) => action.verb === 'csat.rate')
        .map((action: any) => `${action.title}${action.style ? ` (${action.style})` : ''}`);
    const updatesOfCsat = () =>
      teams.connector.calls.filter((call) => call.op === 'update' && call.activityId === csatId);
    const messagesBefore = sentTo(DANA_CHAT).length;

    const first = await send(danaPresses('csat.rate', { value: `${ticketValue}:4` }, csatId));
    expect(first.body).toMatchObject({ statusCode: 200, type: CARD_ANSWER });
    expect(first.body.value.body[0]).toMatchObject({ text: `Thanks — you rated #${ticket.number} 4/5` });
    expect(scale(first.body.value)).toEqual(['★', '★★', '★★★', '✓ ★★★★ (positive)', '★★★★★']);
    expect(await rating()).toBe(4);
    // Everyone else sees the same card: core queued the update the invoke answer showed.
    expect(cardOf(updatesOfCsat().at(-1))).toEqual(first.body.value);

    const second = await send(danaPresses('csat.rate', { value: `${ticketValue}:2` }, csatId));
    expect(second.body.value.body[0]).toMatchObject({ text: `Thanks — you rated #${ticket.number} 2/5` });
    expect(scale(second.body.value)).toEqual(['★', '✓ ★★ (positive)', '★★★', '★★★★', '★★★★★']);
    expect(await rating()).toBe(2);
    expect(cardOf(updatesOfCsat().at(-1))).toEqual(second.body.value);
    // The card says thanks; no message beside it.
    expect(sentTo(DANA_CHAT)).toHaveLength(messagesBefore);
  });

  it('files one ticket when Teams delivers the same activity twice', async () => {
    const activity = danaSays('The printer on floor 3 prints blank pages');
    await send(activity);
    await send(activity);
    const tickets = await teams.app.database.db.selectFrom('tickets').select('description').execute();
    expect(tickets.filter((ticket) => /printer on floor 3/.test(ticket.description ?? ''))).toHaveLength(1);
  });

  it('retries deliveries answered 429, 412 and 502, and gives up at once on 404 with a timeline entry', async () => {
    teams.connector.failNext(429, 1, { 'retry-after': '0' });
    teams.connector.failNext(412);
    teams.connector.failNext(502);
    await send(danaSays('helpdesk mine'));
    const mine = await teams.app.database.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('platform', '=', 'teams')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(mine.status).toBe('sent');
    // The 429 was waited out, not counted: two failed attempts (412, 502) and the one that sent.
    expect(mine.attempts).toBeGreaterThanOrEqual(3);

    teams.connector.failNext(404, 10);
    await send(alexSays('One more thing: which VPN profile do you use?', cardId));
    const failed = await teams.app.database.db
      .selectFrom('outbox')
      .select(['status', 'attempts', 'ticket_id'])
      .where('platform', '=', 'teams')
      .where('status', '=', 'failed')
      .execute();
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((row) => row.attempts <= 1)).toBe(true);
    const timeline = await teams.app.database.db
      .selectFrom('ticket_events')
      .select(['body'])
      .where('type', '=', 'delivery_failed')
      .execute();
    expect(timeline.map((event) => event.body).join('\n')).toMatch(/conversation not found/);
    teams.connector.clearFailures();
  });

  it('shows a person with the same e-mail on Slack and Teams the same tickets under helpdesk mine', async () => {
    const numbers = (text: string) => [...text.matchAll(/#(\d+)/g)].map((m) => m[1]).sort();
    const before = sentTo(DANA_CHAT).length;
    await send(danaSays('helpdesk mine'));
    const onTeams = sentTo(DANA_CHAT).slice(before).map(textOf).join('\n');

    await teams.app.accept({
      platform: 'slack',
      kind: 'command',
      eventId: `slack-mine-${Date.now()}`,
      text: 'mine',
      sender: {
        platform: 'slack',
        tenant: 'T0ACME',
        userId: 'U0DANA',
        displayName: 'Dana F',
        email: 'dana@example.com',
      },
      conversation: { platform: 'slack', tenant: 'T0ACME', channel: 'D0DANA', isDirect: true },
    });
    await teams.app.idle().catch(() => undefined);
    const slackReply = await teams.app.database.db
      .selectFrom('outbox')
      .select(['body'])
      .where('platform', '=', 'slack')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const onSlack = JSON.stringify(slackReply.body);
    expect(numbers(onTeams).length).toBeGreaterThanOrEqual(2);
    expect(numbers(onSlack)).toEqual(numbers(onTeams));
  });

  it('mentions the assignee for real: <at>Name</at> in the text and a mention entity with their id', async () => {
    // The newest ticket card: the printer ticket, still unassigned.
    const row = await teams.app.database.db
      .selectFrom('outbox')
      .select(['platform_message_id', 'body'])
      .where('purpose', '=', 'ticket-card')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const printerCard = row.platform_message_id ?? '';
    const assign = (row.body as any).message.card.actions.find((a: any) => a.actionId === 'ticket.assign');
    const chain = `${TRIAGE};messageid=${printerCard}`;
    const before = sentTo(chain).length;

    await send(alexPresses('ticket.assign', { value: assign.value, user: ALEX.aadObjectId }, printerCard));

    const notice = sentTo(chain)
      .slice(before)
      .find((call) => /assigned #\d+ to/.test(call.body.text ?? ''));
    expect(notice?.body.text).toMatch(/assigned #\d+ to <at>Alex Agent<\/at>\./);
    expect(notice?.body.entities).toContainEqual({
      type: 'mention',
      text: '<at>Alex Agent</at>',
      mentioned: { id: ALEX.aadObjectId, name: 'Alex Agent' },
    });
  });
});

/** The activity id Teams (the fake) returned for the ticket card, as the outbox recorded it. */
async function cardMessageId(): Promise<string> {
  const row = await teams.app.database.db
    .selectFrom('outbox')
    .select(['platform_message_id'])
    .where('purpose', '=', 'ticket-card')
    .executeTakeFirstOrThrow();
  expect(row.platform_message_id).toBeTruthy();
  return row.platform_message_id ?? '';
}

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoKnowledgeBase } from '../../src/core/kb/kb.demo.ts';
import { ALEX, fixture, startTeamsTestApp, TENANT, type TeamsTestApp, TRIAGE } from './harness.ts';

const GENERAL = '19:general@thread.tacv2';
const SAM_CHAT = 'a:1sam-personal-chat-with-helpdesk';
/** The author of the message in the "File IT ticket" fixture. */
const LEA = {
  id: '29:1lea-example-teams-user-id',
  name: 'Lea Brandt',
  aadObjectId: '0b0e6a4e-5555-4a4a-9c9c-0d0a0a0a0005',
};
const SAM = {
  id: '29:1sam-example-teams-user-id',
  name: 'Sam Okafor',
  aadObjectId: '0b0e6a4e-6666-4a4a-9c9c-0d0a0a0a0006',
};

let teams: TeamsTestApp;
let seq = 0;

async function send(activity: object) {
  const response = await teams.send(activity);
  expect(response.status).toBe(200);
  await teams.app.idle();
  return response;
}

const db = () => teams.app.database.db;
const sentTo = (conversationId: string) =>
  teams.connector.posted().filter((call) => call.conversationId === conversationId);
const cardOf = (call: { body: any } | undefined) => call?.body?.attachments?.[0]?.content;

beforeAll(async () => {
  teams = await startTeamsTestApp({ env: { HELPDESK_ADMINS: 'alex@example.com' } });
  await ensureDemoKnowledgeBase(teams.app.deps.db, new Date());
  const withEmail = (member: typeof ALEX, email: string) => ({ ...member, email, userPrincipalName: email });
  teams.connector.addMember(TRIAGE, withEmail(ALEX, 'alex@example.com'));
  teams.connector.addMember(GENERAL, withEmail(ALEX, 'alex@example.com'));
  teams.connector.addMember(GENERAL, withEmail(LEA, 'lea@example.com'));
  teams.connector.addMember(SAM_CHAT, withEmail(SAM, 'sam@example.com'));

  // The IT team's channel is the triage channel, so filed tickets get a card there.
  const command = fixture('channel-mention-reply', teams.connector);
  command.id = `alex-config-${Date.now()}`;
  command.from = ALEX;
  command.text = '<at>Helpdesk</at> helpdesk config triage-channel here';
  command.conversation.id = TRIAGE;
  command.channelData.channel.id = TRIAGE;
  await send(command);
});
afterAll(async () => {
  await teams?.close();
});

describe('filing and answering on Teams', () => {
  it('"File IT ticket" on a message files it as a ticket for the message\'s author', async () => {
    const activity = fixture('message-action-file-ticket', teams.connector);
    const response = await send(activity);
    // The message action's dialog closes with an empty answer; the ticket card follows.
    expect(response.body).toEqual({});

    const ticket = await db()
      .selectFrom('tickets')
      .innerJoin('people', 'people.id', 'tickets.requester_id')
      .select(['tickets.description', 'tickets.number', 'people.email', 'people.display_name'])
      .executeTakeFirstOrThrow();
    expect(ticket.email).toBe('lea@example.com');
    expect(ticket.display_name).toBe('Lea Brandt');
    expect(ticket.description).toMatch(/Projector in room 4\.12 shows no signal/);
    expect(ticket.description).toMatch(/Urgent for the board meeting/);
    const card = sentTo(TRIAGE)
      .map(cardOf)
      .find((content) => content?.type === 'AdaptiveCard');
    expect(JSON.stringify(card)).toMatch(/Lea Brandt/);
    // The requester hears about it in the reply chain of the filed message.
    const chain = sentTo(`${GENERAL};messageid=${activity.value.messagePayload.id}`);
    expect(chain.map((call) => JSON.stringify(call.body)).join('\n')).toMatch(
      new RegExp(`#${ticket.number}`),
    );
  });

  it('"That fixed it" on the answer card records the deflection and files nothing', async () => {
    const question = fixture('personal-message', teams.connector);
    question.id = `sam-${++seq}-${Date.now()}`;
    question.from = SAM;
    question.conversation.id = SAM_CHAT;
    question.text = 'how do i add a shared mailbox in outlook';
    delete question.attachments;
    await send(question);
    const answer = sentTo(SAM_CHAT).find((call) => cardOf(call)?.type === 'AdaptiveCard');
    const fixed = (cardOf(answer)?.actions ?? []).find((action: any) => action.verb === 'answer.fixed');
    expect(fixed).toBeDefined();
    const answerId = await db()
      .selectFrom('outbox')
      .select('platform_message_id')
      .where('platform', '=', 'teams')
      .where(sql`body->'message'->'card'->>'kind'`, '=', 'answer')
      .executeTakeFirstOrThrow();
    const ticketsBefore = (await db().selectFrom('tickets').select('id').execute()).length;

    const press = fixture('action-execute-claim', teams.connector);
    press.id = `f:sam-fixed-${++seq}-${Date.now()}`;
    press.from = SAM;
    press.conversation = { id: SAM_CHAT, conversationType: 'personal', tenantId: TENANT };
    press.channelData = { tenant: { id: TENANT }, source: { name: 'message' } };
    press.replyToId = answerId.platform_message_id;
    press.value.action = { type: 'Action.Execute', title: fixed.title, verb: fixed.verb, data: fixed.data };
    const before = sentTo(SAM_CHAT).length;
    const response = await send(press);
    // The invoke answer is the decided card: the outcome as its title, the answer kept, no buttons.
    expect(response.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = response.body.value;
    expect(card.body[0]).toMatchObject({ text: '✅ Glad that fixed it' });
    expect(card.body.slice(1)).toEqual(cardOf(answer).body.slice(1));
    expect(JSON.stringify(card.body)).toMatch(/Sources: .*shared mailbox/i);
    expect(card.actions).toBeUndefined();
    const update = teams.connector.calls
      .filter((call) => call.op === 'update' && call.activityId === answerId.platform_message_id)
      .at(-1);
    expect(cardOf(update)).toEqual(card);

    const decided = await db()
      .selectFrom('kb_answers')
      .select(['outcome', 'article_ids'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(decided).toEqual({ outcome: 'fixed', article_ids: ['demo-shared-mailbox'] });
    const article = await db()
      .selectFrom('kb_articles')
      .select('helpful_count')
      .where('id', '=', 'demo-shared-mailbox')
      .executeTakeFirstOrThrow();
    expect(article.helpful_count).toBe(1);
    expect((await db().selectFrom('tickets').select('id').execute()).length).toBe(ticketsBefore);
    // The card is the confirmation: no message beside it.
    expect(sentTo(SAM_CHAT)).toHaveLength(before);
  });

  it('"I still need help" answers the press with the card saying which ticket was filed; the filing acknowledgement follows', async () => {
    const question = fixture('personal-message', teams.connector);
    question.id = `sam-${++seq}-${Date.now()}`;
    question.from = SAM;
    question.conversation.id = SAM_CHAT;
    question.text = 'how do I clear a stuck print queue?';
    delete question.attachments;
    const before = sentTo(SAM_CHAT).length;
    await send(question);
    const answer = sentTo(SAM_CHAT)
      .slice(before)
      .find((call) => cardOf(call)?.type === 'AdaptiveCard');
    const more = (cardOf(answer)?.actions ?? []).find((action: any) => action.verb === 'answer.more-help');
    expect(more).toBeDefined();
    const posted = await db()
      .selectFrom('outbox')
      .select('platform_message_id')
      .where('platform', '=', 'teams')
      .where(sql`body->'message'->'card'->>'kind'`, '=', 'answer')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

    const press = fixture('action-execute-claim', teams.connector);
    press.id = `f:sam-more-${++seq}-${Date.now()}`;
    press.from = SAM;
    press.conversation = { id: SAM_CHAT, conversationType: 'personal', tenantId: TENANT };
    press.channelData = { tenant: { id: TENANT }, source: { name: 'message' } };
    press.replyToId = posted.platform_message_id;
    press.value.action = { type: 'Action.Execute', title: more.title, verb: more.verb, data: more.data };
    const response = await send(press);

    const ticket = await db()
      .selectFrom('tickets')
      .select('number')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const card = response.body.value;
    expect(card.body[0]).toMatchObject({ text: `🎫 Filed ticket #${ticket.number} for you` });
    expect(card.body.slice(1)).toEqual(cardOf(answer).body.slice(1));
    expect(card.actions).toBeUndefined();
    expect(
      sentTo(SAM_CHAT)
        .map((call) => JSON.stringify(call.body))
        .join('\n'),
    ).toMatch(new RegExp(`I've filed ticket #${ticket.number}`));
  });
});

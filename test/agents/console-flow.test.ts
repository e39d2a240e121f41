import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentRouter } from '../../src/agents/router.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { ensureDemoKnowledgeBase } from '../../src/core/kb/kb.demo.ts';
import type { Router } from '../../src/core/routing/router.ts';
import { command, consoleUser, message, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let agents: Router | undefined;

beforeAll(async () => {
  // The router needs the app's database, and the app needs a router: bind it once both exist.
  app = await startTestApp({ http: false, router: { route: (input) => agents!.route(input) } });
  agents = createAgentRouter({ db: app.deps.db, clock: app.deps.clock, log: app.deps.log, model: null });
  await ensureDemoKnowledgeBase(app.deps.db, new Date());
});

afterAll(async () => {
  await app?.close();
});

let clicks = 0;
/** A press of a button; `messageId` is the console's id of the card it is on (`c12`), when the test cares. */
function click(
  name: string,
  actionId: string,
  value: string,
  from: ChatEvent,
  messageId?: string,
): ChatEvent {
  return {
    platform: 'console',
    kind: 'action',
    eventId: `click-${++clicks}-${Date.now()}`,
    sender: consoleUser(name),
    conversation: from.conversation,
    actionId,
    value,
    ...(messageId ? { messageId } : {}),
  };
}

/** The newest answer card posted in `channel`: its console id (`c12`) and the value its buttons carry. */
async function answerCardIn(channel: string): Promise<{ messageId: string; value: string }> {
  const row = await app.deps.db
    .selectFrom('outbox')
    .select(['platform_message_id', 'body'])
    .where('op', '=', 'post')
    .where(sql<string>`target->>'channel'`, '=', channel)
    .where(sql`body->'message'->'card'->>'kind'`, '=', 'answer')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const button = row.body.message?.card?.actions?.find((a) => a.type === 'button');
  return { messageId: row.platform_message_id ?? '', value: button && 'value' in button ? button.value : '' };
}

const tickets = () => app.deps.db.selectFrom('tickets').selectAll().orderBy('id', 'asc').execute();

describe('the agent router in the running helpdesk (console, offline)', () => {
  it('answers a VPN question with a cited article and files it, with the conversation, on "I still need help"', async () => {
    const question = message('alice', 'how do I set up VPN on my Mac?');
    await app.accept(question);
    await app.idle();
    expect(app.output()).toContain('Set up the VPN on a Mac');
    expect(await tickets()).toHaveLength(0);

    const { messageId: cardId, value } = await answerCardIn('dm-alice');
    await app.accept(click('alice', 'answer.more-help', value, question, cardId));
    await app.idle();
    const [ticket] = await tickets();
    expect(ticket).toBeDefined();
    expect(ticket!.category).toBe('network');
    expect(ticket!.description).toContain('how do I set up VPN on my Mac?');
    expect(ticket!.description).toContain('did not fix it');
    const answer = await app.deps.db
      .selectFrom('kb_answers')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(answer).toMatchObject({ outcome: 'more-help', ticket_id: ticket!.id });
    // The answer card itself now says what happened, its buttons gone.
    const updated = app.output().split(`(${cardId} updated)`)[1] ?? '';
    expect(updated).toMatch(new RegExp(`^ 🤖 ┌ 🎫 Filed ticket #${ticket!.number} for you\n│ `));
    expect(updated.split('\n[')[0]).toContain('Set up the VPN on a Mac');
    expect(updated.split('\n[')[0]).not.toMatch(/\[\d+\] I still need help/);

    // A second click files nothing new.
    await app.accept(click('alice', 'answer.more-help', value, question, cardId));
    await app.idle();
    expect(await tickets()).toHaveLength(1);
  });

  it('in a long direct chat, "I still need help" files only the question it answers, through the card\'s own button value', async () => {
    const chat = { platform: 'console' as const, tenant: 'local', channel: 'dm-ivy', isDirect: true };
    const ask = (text: string) => message('ivy', text, { conversation: chat });
    const cardValue = async (actionId: string) => {
      const row = await app.deps.db
        .selectFrom('outbox')
        .select('body')
        .where('lane', 'like', '%dm-ivy%')
        .orderBy('id', 'desc')
        .execute();
      const card = row.map((r) => r.body.message?.card).find((c) => c?.kind === 'answer');
      const button = card?.actions?.find((a) => a.type === 'button' && a.actionId === actionId);
      return button && 'value' in button ? button.value : undefined;
    };
    // The chat has been going on for a while.
    await app.accept(ask('hi'));
    await app.idle();
    const first = ask('how do I connect to the office wifi?');
    await app.accept(first);
    await app.idle();
    const fixed = await cardValue('answer.fixed');
    expect(fixed).toMatch(/^answer:\d+$/);
    await app.accept(click('ivy', 'answer.fixed', fixed!, first));
    await app.idle();

    const second = ask('how do I set up VPN on my Mac?');
    await app.accept(second);
    await app.idle();
    const more = await cardValue('answer.more-help');
    expect(more).not.toBe(fixed);
    const before = (await tickets()).length;
    await app.accept(click('ivy', 'answer.more-help', more!, second));
    await app.idle();
    const after = await tickets();
    expect(after).toHaveLength(before + 1);
    const ticket = after.at(-1)!;
    expect(ticket.description).toContain('how do I set up VPN on my Mac?');
    expect(ticket.description).not.toContain('office wifi');
  });

  it('records the answer to the very first message of a chat under that chat', async () => {
    const first = message('jules', 'how do I set up VPN on my Mac?', {
      conversation: { platform: 'console', tenant: 'local', channel: 'dm-jules', isDirect: true },
    });
    await app.accept(first);
    await app.idle();
    const answer = await app.deps.db
      .selectFrom('kb_answers')
      .innerJoin('conversations', 'conversations.id', 'kb_answers.conversation_id')
      .select(['conversations.channel'])
      .orderBy('kb_answers.id', 'desc')
      .executeTakeFirst();
    expect(answer?.channel).toBe('dm-jules');
  });

  it('files one ticket when "I still need help" follows "That fixed it", taking back the helpful vote', async () => {
    const question = message('kim', 'how do i add a shared mailbox in outlook');
    await app.accept(question);
    await app.idle();
    const counts = () =>
      app.deps.db
        .selectFrom('kb_articles')
        .select(['helpful_count', 'unhelpful_count'])
        .where('id', '=', 'demo-shared-mailbox')
        .executeTakeFirstOrThrow();
    const before = await counts();
    const filedBefore = (await tickets()).length;
    const { messageId: cardId, value } = await answerCardIn('dm-kim');
    await app.accept(click('kim', 'answer.fixed', value, question, cardId));
    await app.idle();
    expect((await counts()).helpful_count).toBe(before.helpful_count + 1);
    // The fix did not last: the same card's other button (a stale card, or another device).
    await app.accept(click('kim', 'answer.more-help', value, question, cardId));
    await app.idle();
    await app.accept(click('kim', 'answer.more-help', value, question, cardId));
    await app.idle();
    expect(await tickets()).toHaveLength(filedBefore + 1);
    expect(await counts()).toEqual({
      helpful_count: before.helpful_count,
      unhelpful_count: before.unhelpful_count + 1,
    });
    const answer = await app.deps.db
      .selectFrom('kb_answers')
      .select(['outcome', 'ticket_id'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(answer.outcome).toBe('more-help');
    expect(answer.ticket_id).not.toBeNull();
  });

  it('records a deflection and the article helpful count on "That fixed it"', async () => {
    const question = message('bob', 'how do i add a shared mailbox in outlook');
    await app.accept(question);
    await app.idle();
    const before = await tickets();
    const { messageId: cardId, value } = await answerCardIn('dm-bob');
    const printed = app.output().length;
    await app.accept(click('bob', 'answer.fixed', value, question, cardId));
    await app.idle();
    const article = await app.deps.db
      .selectFrom('kb_articles')
      .select(['helpful_count'])
      .where('id', '=', 'demo-shared-mailbox')
      .executeTakeFirstOrThrow();
    expect(article.helpful_count).toBe(1);
    expect(await tickets()).toHaveLength(before.length);
    // The card is replaced in place; there is no separate "glad" message.
    const updated = app.output().split(`(${cardId} updated)`)[1] ?? '';
    expect(updated).toMatch(/^ 🤖 ┌ ✅ Glad that fixed it\n/);
    expect(updated.split('\n[')[0]).toMatch(/Sources: Add a shared mailbox in Outlook/);
    expect(app.output().slice(printed)).not.toContain('Glad that fixed it! 🎉');
  });

  it('after a clarifying question, "That fixed it" on the answer that followed counts for its article', async () => {
    const helpful = async () =>
      (
        await app.deps.db
          .selectFrom('kb_articles')
          .select('helpful_count')
          .where('id', '=', 'demo-printer-queue')
          .executeTakeFirstOrThrow()
      ).helpful_count;
    const before = { helpful: await helpful(), tickets: (await tickets()).length };
    await app.accept(message('erin', 'help'));
    await app.idle();
    expect(app.output()).toMatch(/Could you tell me a bit more|\?/);
    const reply = message('erin', 'how do I clear a stuck print queue?');
    const { id } = await app.accept(reply);
    await app.idle();
    expect(app.output()).toContain('Clear a stuck print queue');

    // Someone else's verdict does not count for erin's answer.
    await app.accept(click('bob', 'answer.fixed', String(id), reply));
    await app.idle();
    expect(app.output()).toContain('Only the person who asked can say whether it helped.');
    expect(await helpful()).toBe(before.helpful);

    await app.accept(click('erin', 'answer.fixed', String(id), reply));
    await app.idle();
    expect(await helpful()).toBe(before.helpful + 1);
    const answers = await app.deps.db
      .selectFrom('kb_answers')
      .selectAll()
      .where('question', 'like', 'help%')
      .execute();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ outcome: 'fixed', article_ids: ['demo-printer-queue'] });
    expect(answers[0]!.question).toContain('how do I clear a stuck print queue?');
    // Nothing else was decided in its place, and nothing was filed.
    const bare = await app.deps.db.selectFrom('kb_answers').selectAll().where('answer', '=', '').execute();
    expect(bare).toHaveLength(0);
    expect(await tickets()).toHaveLength(before.tickets);
  });

  it('files "my laptop screen is cracked" directly as hardware, and "hi" files nothing', async () => {
    const before = (await tickets()).length;
    await app.accept(message('carol', 'hi'));
    await app.idle();
    expect(await tickets()).toHaveLength(before);
    await app.accept(message('carol', 'my laptop screen is cracked'));
    await app.idle();
    const all = await tickets();
    expect(all).toHaveLength(before + 1);
    expect(all.at(-1)).toMatchObject({ category: 'hardware', title: 'My laptop screen is cracked' });
  });

  it('searches the knowledge base with `kb search`', async () => {
    await app.accept(command('dave', 'kb search print queue'));
    await app.idle();
    expect(app.output()).toContain('Clear a stuck print queue');
  });
});

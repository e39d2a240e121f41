/**
 * What a conversation carries from one message to the next (issue 12, item 6): a clarifying
 * question, or an answer the requester may say did not help, continues only into the immediately
 * following message of the same conversation, within CARRY_OVER_WINDOW_MS. Fixed clock, running
 * app, offline router, real Postgres and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { CARRY_OVER_WINDOW_MS } from '../../src/core/conversations/conversation.repository.ts';
import { ensureDemoKnowledgeBase } from '../../src/core/kb/kb.demo.ts';
import { dm, message, startTestApp, type TestApp } from '../support/app.ts';

const clock = fixedClock('2031-05-06T09:00:00Z');
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ http: false, clock });
  await ensureDemoKnowledgeBase(app.deps.db, clock.now());
});

afterAll(async () => {
  await app?.close();
});

/** A message in a person's direct chat; `thread` as the console gives each message its own. */
async function say(who: string, text: string, extra: Partial<Extract<ChatEvent, { kind: 'message' }>> = {}) {
  await app.accept(message(who, text, extra));
  await app.idle();
}

const newest = () => app.deps.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirst();
const ticketCount = async () => (await app.deps.db.selectFrom('tickets').select('id').execute()).length;
const state = async (who: string) =>
  (
    await app.deps.db
      .selectFrom('conversations')
      .select('state')
      .where('channel', '=', `dm-${who}`)
      .where('thread', '=', '')
      .executeTakeFirst()
  )?.state ?? null;

describe('a clarifying question carries into the next message only (issue 12, item 6)', () => {
  it('is 30 minutes, a named constant', () => {
    expect(CARRY_OVER_WINDOW_MS).toBe(30 * 60_000);
  });

  it('continues into the immediately following message within the window', async () => {
    await say('anna', 'help');
    expect(await state('anna')).toMatchObject({ agent: 'clarify' });
    clock.advance(CARRY_OVER_WINDOW_MS - 60_000);
    await say('anna', 'my laptop screen is cracked');
    const ticket = await newest();
    expect(ticket?.description).toBe('help\n\nmy laptop screen is cracked');
    expect(await state('anna')).toBeNull();
  });

  it('is dropped once the window has passed', async () => {
    await say('bert', 'help');
    clock.advance(CARRY_OVER_WINDOW_MS + 60_000);
    await say('bert', 'my laptop screen is cracked');
    expect((await newest())?.description).toBe('my laptop screen is cracked');
  });

  it('is dropped after another message, even chatter', async () => {
    await say('cleo', "it's broken");
    const before = await ticketCount();
    await say('cleo', 'hi');
    // A greeting is no answer to the question: nothing is filed, and the question is closed.
    expect(await ticketCount()).toBe(before);
    expect(await state('cleo')).toBeNull();
    await say('cleo', 'my laptop screen is cracked');
    expect((await newest())?.description).toBe('my laptop screen is cracked');
  });

  it('is dropped after a reply to a ticket in the same chat', async () => {
    await say('dina', 'my monitor stays black after the docking station update', {
      conversation: dm('dina'),
    });
    const filed = await newest();
    await say('dina', 'help');
    expect(await state('dina')).toMatchObject({ agent: 'clarify' });
    // A thread-less chat: the follow-up joins the open ticket, and the question is not answered.
    await say('dina', 'it flickers on the second port', { conversation: dm('dina') });
    expect((await newest())?.id).toBe(filed?.id);
    expect(await state('dina')).toBeNull();
  });

  it('is dropped when stored by an earlier version without a time (a restart after an upgrade)', async () => {
    await say('emma', 'hi');
    await app.deps.db
      .updateTable('conversations')
      .set({ state: JSON.stringify({ agent: 'clarify', original: 'help', redacted: 'help' }) })
      .where('channel', '=', 'dm-emma')
      .where('thread', '=', '')
      .execute();
    await say('emma', 'my laptop screen is cracked');
    expect((await newest())?.description).toBe('my laptop screen is cracked');
  });
});

describe('"it did not help" after an answer carries the answer only into the next message', () => {
  const answered = async (who: string) => {
    await say(who, 'how do I set up VPN on my Mac?');
    expect(await state(who)).toHaveProperty('answer');
  };

  it('files the answered question with the complaint right after the answer', async () => {
    await answered('finn');
    clock.advance(5 * 60_000);
    await say('finn', 'that did not work, still cannot connect');
    const ticket = await newest();
    expect(ticket?.description).toContain('how do I set up VPN on my Mac?');
    expect(ticket?.description).toContain('(The suggested article did not help.)');
  });

  it('does not after the window', async () => {
    await answered('gwen');
    clock.advance(CARRY_OVER_WINDOW_MS + 1);
    await say('gwen', 'my laptop still will not boot');
    const ticket = await newest();
    expect(ticket?.description).toBe('my laptop still will not boot');
  });

  it('does not after another message', async () => {
    await answered('hugo');
    await say('hugo', 'thanks!');
    await say('hugo', 'my laptop still will not boot');
    const ticket = await newest();
    expect(ticket?.description).toBe('my laptop still will not boot');
  });

  it('does not in another conversation (a new chat after a restart)', async () => {
    await answered('ida');
    await say('ida', 'my laptop still will not boot', {
      conversation: { platform: 'console', tenant: 'local', channel: 'dm-ida-2', isDirect: true },
    });
    const ticket = await newest();
    expect(ticket?.description).toBe('my laptop still will not boot');
  });
});

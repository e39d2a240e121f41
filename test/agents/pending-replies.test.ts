/**
 * A requester answers a ticket IT is waiting on, whatever filed it: by replying in the thread of
 * any message the helpdesk posted to them about it, or with a plain message in the same direct chat.
 * Driven through the console adapter and the app's own (offline) router, on Postgres and Redis.
 */
import { PassThrough, Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsole, TRIAGE_CHANNEL, triageRef } from '../../src/bots/console/console.ts';
import type { ChatEvent } from '../../src/core/chat/chat.ts';
import { ensureDemoKnowledgeBase } from '../../src/core/kb/kb.demo.ts';
import { ensureRole } from '../../src/core/people/people.service.ts';
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { consoleUser, dm, message, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ http: false });
  await setSetting(app.deps.db, triageChannelKey('console'), triageRef(), null);
  await ensureDemoKnowledgeBase(app.deps.db, new Date());
});

afterAll(async () => {
  await app?.close();
});

/** Types one line into the console as `who`, and waits until everything it caused is delivered. */
async function type(who: string, line: string): Promise<void> {
  await runConsole({
    input: Readable.from([`${line}\n`]),
    output: new PassThrough(),
    interactive: false,
    as: who,
    notifier: app.consoleNotifier,
    accept: app.accept,
    idle: () => app.idle(),
    ensureRole: async (user, role) => {
      await ensureRole(app.deps.db, app.deps.config, user, role);
    },
  });
  await app.idle();
}

const ticket = (number: number) =>
  app.deps.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
const newest = () =>
  app.deps.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
const count = async () =>
  Number(
    (await app.deps.db.selectFrom('tickets').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow())
      .n,
  );

/** The console id (`c12`) of the newest message the helpdesk posted to the requester of a ticket. */
async function lastPostToRequester(ticketId: number, containing: string): Promise<string> {
  const row = await app.deps.db
    .selectFrom('outbox')
    .select(['platform_message_id'])
    .where('ticket_id', '=', ticketId)
    .where('op', '=', 'post')
    .where(sql<string>`target->>'channel'`, '!=', TRIAGE_CHANNEL)
    .where(sql<string>`body->'message'->>'text'`, 'like', `%${containing}%`)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  expect(row.platform_message_id).toMatch(/^c\d+$/);
  return row.platform_message_id!;
}

async function repliesOn(ticketId: number): Promise<string[]> {
  const rows = await app.deps.db
    .selectFrom('ticket_events')
    .select('body')
    .where('ticket_id', '=', ticketId)
    .where('type', '=', 'requester_reply')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.body ?? '');
}

describe('a requester answers a pending ticket (issue 12, item 2)', () => {
  it('filed with `new`: a reply in the thread of the "waiting on you" message reaches the ticket and reopens it', async () => {
    await type('alice', 'helpdesk new my monitor flickers when the laptop is docked');
    const filed = await newest();
    await type('agent-bob', `helpdesk pending #${filed.number} which monitor model is it?`);
    expect((await ticket(filed.number)).status).toBe('pending');
    const question = await lastPostToRequester(filed.id, 'waiting on you');
    expect(app.output()).toContain('Reply here to continue');

    const before = await count();
    await type('alice', `>${question} it is the Dell U2720Q`);
    expect(await count()).toBe(before);
    expect((await ticket(filed.number)).status).toBe('open');
    expect(await repliesOn(filed.id)).toEqual(['it is the Dell U2720Q']);
  });

  it('filed with `new`: a plain message in the same direct chat goes to the ticket waiting on the requester', async () => {
    await type('amir', 'helpdesk new my docking station does not charge the laptop');
    const filed = await newest();
    await type(
      'agent-bob',
      `helpdesk pending #${filed.number} which dock is it, the USB-C or the Thunderbolt one?`,
    );
    const printed = app.output().length;

    const before = await count();
    await type('amir', 'the thunderbolt one');
    expect(await count()).toBe(before);
    expect((await ticket(filed.number)).status).toBe('open');
    expect(await repliesOn(filed.id)).toEqual(['the thunderbolt one']);
    const said = app.output().slice(printed);
    expect(said).not.toContain('Could you tell me a bit more?');
    expect(said).toContain(`#${filed.number}`);

    // Once it is open again, a new plain message is a new request, not more of the same ticket.
    await type('amir', 'my laptop screen is cracked');
    expect(await count()).toBe(before + 1);
  });

  it('reaches the ticket whatever filed it: a message, the new-ticket form, a 🎫 reaction, "I still need help"', async () => {
    const cases: Array<{ who: string; file: (who: string) => Promise<void>; chat: 'dm' | 'channel' }> = [
      { who: 'berta', chat: 'dm', file: (who) => type(who, 'my laptop screen is cracked') },
      {
        who: 'carlo',
        chat: 'dm',
        file: async (who) => {
          await app.accept(formSubmit(who, 'Keyboard', 'several keys on my keyboard stopped working'));
          await app.idle();
        },
      },
      {
        who: 'dora',
        chat: 'channel',
        file: async (who) => {
          await app.accept(reaction('colleague', who, 'the projector in room 4 shows no picture'));
          await app.idle();
        },
      },
      {
        who: 'emil',
        chat: 'dm',
        file: async (who) => {
          const asked = message(who, 'how do I set up VPN on my Mac?', { conversation: dm(who, 'q1') });
          await app.accept(asked);
          await app.idle();
          const card = await app.deps.db
            .selectFrom('outbox')
            .select('body')
            .where(sql<string>`target->>'channel'`, '=', `dm-${who}`)
            .where(sql`body->'message'->'card'->>'kind'`, '=', 'answer')
            .orderBy('id', 'desc')
            .executeTakeFirstOrThrow();
          const button = card.body.message?.card?.actions?.find(
            (a) => a.type === 'button' && a.actionId === 'answer.more-help',
          );
          await app.accept({
            platform: 'console',
            kind: 'action',
            eventId: `more-help-${who}`,
            sender: consoleUser(who),
            conversation: asked.conversation,
            actionId: 'answer.more-help',
            value: button && 'value' in button ? button.value : '',
          });
          await app.idle();
        },
      },
    ];
    for (const { who, file, chat } of cases) {
      const before = await count();
      await file(who);
      expect(await count(), `${who}: filed`).toBe(before + 1);
      const filed = await newest();
      await type('agent-bob', `helpdesk pending #${filed.number} can you send a photo?`);
      const question = await lastPostToRequester(filed.id, 'waiting on you');
      await type(who, `>${question} here it is`);
      expect(await count(), `${who}: nothing new filed`).toBe(before + 1);
      expect((await ticket(filed.number)).status, `${who}: reopened by the reply`).toBe('open');
      expect(await repliesOn(filed.id)).toEqual(['here it is']);

      if (chat !== 'dm') continue;
      // And once more with a plain message in the direct chat.
      await type('agent-bob', `helpdesk pending #${filed.number} and the serial number?`);
      await type(who, 'SN 12345');
      expect(await count(), `${who}: nothing new filed`).toBe(before + 1);
      expect((await ticket(filed.number)).status, `${who}: reopened by the message`).toBe('open');
      expect(await repliesOn(filed.id)).toEqual(['here it is', 'SN 12345']);
    }
  });

  it('leaves other people alone: someone else replying in that thread files nothing on the ticket', async () => {
    await type('fritz', 'helpdesk new my headset microphone is muted all the time');
    const filed = await newest();
    await type('agent-bob', `helpdesk pending #${filed.number} which headset?`);
    const question = await lastPostToRequester(filed.id, 'waiting on you');
    await app.accept(
      message('gustav', 'the jabra one', {
        conversation: { ...dm('fritz'), thread: question },
      }),
    );
    await app.idle();
    expect((await ticket(filed.number)).status).toBe('pending');
    expect(await repliesOn(filed.id)).toEqual([]);
  });
});

let seq = 0;
function formSubmit(who: string, title: string, description: string): ChatEvent {
  return {
    platform: 'console',
    kind: 'action',
    eventId: `form-${who}-${++seq}`,
    sender: consoleUser(who),
    conversation: dm(who),
    actionId: 'ticket.new.submit',
    value: '',
    inputs: { title, description },
  };
}

function reaction(reactor: string, author: string, text: string): ChatEvent {
  const messageId = `general-${author}-${++seq}`;
  return {
    platform: 'console',
    kind: 'reaction',
    eventId: `react-${messageId}`,
    sender: consoleUser(reactor),
    conversation: { platform: 'console', tenant: 'local', channel: 'general', isDirect: false },
    emoji: '🎫',
    target: { messageId, text, author: consoleUser(author) },
  };
}

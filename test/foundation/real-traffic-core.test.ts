/**
 * The core side of real traffic, on real Postgres and Redis, through a recording notifier for a
 * chat platform: files on requests and replies, mentions by alias, removal and re-install, and
 * messages that are not for the bot costing no directory call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent, ChatUser, ConversationRef, OutMessage } from '../../src/core/chat/chat.ts';
import type { Delivery, Notifier } from '../../src/core/chat/notifier.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const TENANT = 'T0001';
const TRIAGE: ConversationRef = { platform: 'slack', tenant: TENANT, channel: 'CTRIAGE' };

/** A platform that records what it is asked: deliveries and directory look-ups. */
function recordingNotifier() {
  const deliveries: Delivery[] = [];
  const lookups: string[] = [];
  let counter = 0;
  const directory = new Map<string, ChatUser>();
  const notifier: Notifier = {
    platform: 'slack',
    async deliver(delivery) {
      deliveries.push(delivery);
      return { messageId: `m${++counter}` };
    },
    async lookupUser(user) {
      lookups.push(user.userId);
      return directory.get(user.userId) ?? user;
    },
  };
  return { notifier, deliveries, lookups, directory };
}

let app: TestApp;
let platform: ReturnType<typeof recordingNotifier>;
let seq = 0;

function user(userId: string, name: string, extra: Partial<ChatUser> = {}): ChatUser {
  return {
    platform: 'slack',
    tenant: TENANT,
    userId,
    displayName: name,
    email: `${userId}@example.com`,
    ...extra,
  };
}

function dmOf(userId: string): ConversationRef {
  return { platform: 'slack', tenant: TENANT, channel: `D-${userId}`, isDirect: true };
}

function message(
  sender: ChatUser,
  text: string,
  extra: Partial<Extract<ChatEvent, { kind: 'message' }>> = {},
): ChatEvent {
  const id = `${++seq}.000${seq}`;
  return {
    kind: 'message',
    platform: 'slack',
    eventId: `Ev${seq}-${Date.now()}`,
    sender,
    conversation: dmOf(sender.userId),
    text,
    messageId: id,
    isDirect: true,
    mentionsBot: false,
    ...extra,
  };
}

function command(sender: ChatUser, text: string): ChatEvent {
  return {
    kind: 'command',
    platform: 'slack',
    eventId: `cmd-${++seq}-${Date.now()}`,
    sender,
    conversation: dmOf(sender.userId),
    text,
  };
}

async function run(event: ChatEvent) {
  await app.accept(event);
  await app.idle();
}

function textsTo(channel: string): string[] {
  return platform.deliveries
    .filter(
      (d) => d.target.channel === channel && (d.op === 'post' || d.op === 'ephemeral' || d.op === 'update'),
    )
    .map((d) => {
      const m = (d as { message: OutMessage }).message;
      return [
        m.text,
        m.card?.body,
        ...(m.card?.files ?? []).map((f) => `FILE ${f.name} ${f.url ?? ''} ${f.detail ?? ''}`),
      ]
        .filter(Boolean)
        .join('\n');
    });
}

async function latestTicket() {
  return app.deps.db.selectFrom('tickets').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
}

const root = user('UROOT', 'Root Admin');
const alice = user('UALICE', 'Alice Example');
const bob = user('UBOB', 'Bob Agent');
const screenshot = {
  name: 'Screenshot 2026-12-04 at 09.12.png',
  contentType: 'image/png',
  size: 183_244,
  url: 'https://example.slack.com/files/UALICE/F0SHOT/screenshot.png',
};

beforeAll(async () => {
  platform = recordingNotifier();
  app = await startTestApp({
    env: { HELPDESK_ADMINS: 'uroot@example.com,console:rootc' },
    notifiers: [platform.notifier],
  });
  await app.deps.db
    .insertInto('settings')
    .values({ key: 'triage-channel:slack', value: JSON.stringify(TRIAGE), updated_by: null })
    .execute();
  await run(command(root, 'help'));
  await run(message(bob, 'hello'));
  await run(command(root, `role <@${bob.userId}> agent`));
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  platform.deliveries.length = 0;
  platform.lookups.length = 0;
});

describe('files on requests and replies', () => {
  it('files a ticket for a file sent alone, shows it on the card and in show, and asks what is wrong', async () => {
    await run(message(alice, '', { attachments: [screenshot] }));
    const ticket = await latestTicket();
    expect(ticket.title).toBe(`Sent a file: ${screenshot.name}`);
    const files = await app.deps.db
      .selectFrom('ticket_attachments')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(files).toMatchObject([
      {
        name: screenshot.name,
        content_type: 'image/png',
        size_bytes: 183_244,
        url: screenshot.url,
        visibility: 'public',
      },
    ]);
    const ack = textsTo(dmOf(alice.userId).channel).join('\n');
    expect(ack).toContain(`filed ticket #${ticket.number}`);
    expect(ack).toMatch(/What's wrong\?/);
    const card = textsTo(TRIAGE.channel).join('\n');
    expect(card).toContain(`FILE ${screenshot.name} ${screenshot.url} image/png, 179 KB`);

    platform.deliveries.length = 0;
    await run(command(alice, `show #${ticket.number}`));
    const shown = platform.deliveries.find((d) => d.op === 'ephemeral' || d.op === 'post');
    expect(JSON.stringify(shown)).toContain(screenshot.url);
  });

  it('relays files both ways as links, keeps a note’s file internal, and refreshes the card', async () => {
    // Dave has no open ticket yet (Alice's next words in her DM would go to hers).
    const dave = user('UDAVE', 'Dave Example');
    await run(message(dave, 'the VPN client says error 809'));
    const ticket = await latestTicket();
    const requesterThread = dmOf(dave.userId);
    await app.idle();
    const triage = await app.deps.db
      .selectFrom('ticket_threads')
      .select('thread')
      .where('ticket_id', '=', ticket.id)
      .where('role', '=', 'triage')
      .executeTakeFirstOrThrow();
    const inTriage = { ...TRIAGE, thread: triage.thread ?? undefined };
    platform.deliveries.length = 0;

    const log = {
      name: 'vpn.log',
      contentType: 'text/plain',
      size: 2048,
      url: 'https://example.slack.com/files/UALICE/F0LOG/vpn.log',
    };
    await run(message(dave, 'here is the log', { conversation: requesterThread, attachments: [log] }));
    expect(textsTo(TRIAGE.channel).join('\n')).toContain(
      `here is the log\n📎 vpn.log (text/plain, 2.0 KB) ${log.url}`,
    );

    const fix = { name: 'fix.pdf', url: 'https://example.slack.com/files/UBOB/F0FIX/fix.pdf' };
    await run(message(bob, '', { conversation: inTriage, isDirect: false, attachments: [fix] }));
    expect(textsTo(requesterThread.channel).join('\n')).toContain(`📎 fix.pdf ${fix.url}`);

    const secret = {
      name: 'admin-notes.txt',
      url: 'https://example.slack.com/files/UBOB/F0SEC/admin-notes.txt',
    };
    await run(
      message(bob, 'note: internal only', { conversation: inTriage, isDirect: false, attachments: [secret] }),
    );
    expect(textsTo(requesterThread.channel).join('\n')).not.toContain('admin-notes');

    const stored = await app.deps.db
      .selectFrom('ticket_attachments')
      .select(['name', 'visibility'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(stored).toEqual([
      { name: 'vpn.log', visibility: 'public' },
      { name: 'fix.pdf', visibility: 'public' },
      { name: 'admin-notes.txt', visibility: 'internal' },
    ]);
    const cards = platform.deliveries.filter((d) => d.op === 'update').map((d) => JSON.stringify(d));
    expect(cards.at(-1)).toContain('fix.pdf');
    expect(cards.join('')).not.toContain('admin-notes');
  });
});

describe('people named by an alias', () => {
  it('gives the role to the person who writes under the canonical id, with no directory call once known', async () => {
    // Alex writes first: the platform tells both ids (as Teams does: aadObjectId and the 29: id).
    const alex = user('aad-alex', 'Alex Agent', { aliases: ['29:alex-chat-id'] });
    await run(message(alex, 'hi there'));
    platform.lookups.length = 0;
    await run(command(root, 'role <@29:alex-chat-id|Alex Agent> agent'));
    expect(platform.lookups).toEqual([]);
    const person = await app.deps.db
      .selectFrom('identities')
      .innerJoin('roles', 'roles.person_id', 'identities.person_id')
      .select(['roles.role'])
      .where('identities.user_id', '=', 'aad-alex')
      .executeTakeFirstOrThrow();
    expect(person.role).toBe('agent');
  });

  it('resolves an unknown alias through the directory and stores it for the person who writes later', async () => {
    platform.directory.set(
      '29:maria-chat-id',
      user('aad-maria', 'Maria José da Silva', { aliases: ['29:maria-chat-id'] }),
    );
    await run(command(root, 'role <@29:maria-chat-id|Maria José da Silva> agent'));
    expect(platform.lookups).toEqual(['29:maria-chat-id']);
    // Maria writes under her canonical id: she is the agent.
    await run(message(user('aad-maria', 'Maria José da Silva'), 'hello'));
    const rows = await app.deps.db
      .selectFrom('identities')
      .leftJoin('roles', 'roles.person_id', 'identities.person_id')
      .select(['identities.user_id', 'roles.role'])
      .where('identities.user_id', 'in', ['aad-maria', '29:maria-chat-id'])
      .execute();
    expect(rows).toEqual([{ user_id: 'aad-maria', role: 'agent' }]);
    platform.lookups.length = 0;
    await run(command(root, 'role <@29:maria-chat-id|Maria> requester'));
    expect(platform.lookups).toEqual([]);
  });
});

describe('removal and re-install', () => {
  it('keeps messages for a removed workspace as undeliverable, and a new event re-activates it', async () => {
    const removal: ChatEvent = {
      kind: 'uninstalled',
      platform: 'slack',
      eventId: `uninstall-${Date.now()}`,
      sender: { platform: 'slack', tenant: TENANT, userId: '' },
      conversation: { platform: 'slack', tenant: TENANT, channel: '' },
      scope: 'workspace',
      reason: 'app_uninstalled',
    };
    await run(removal);
    const people = await app.deps.db.selectFrom('people').select('id').execute();
    // A ticket filed through another way (the console) still tries to post its Slack card.
    await app.accept({
      kind: 'message',
      platform: 'console',
      eventId: `console-${Date.now()}`,
      sender: { platform: 'console', tenant: 'local', userId: 'carol', displayName: 'carol' },
      conversation: { platform: 'console', tenant: 'local', channel: 'dm-carol', isDirect: true },
      text: 'printer on floor 3 is jammed',
      messageId: 'c1',
      isDirect: true,
      mentionsBot: false,
    });
    await app.idle();
    expect(platform.deliveries).toEqual([]);
    const kept = await app.deps.db
      .selectFrom('outbox')
      .select(['status', 'last_error'])
      .where('platform', '=', 'slack')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({
      status: 'undeliverable',
      last_error: 'the bot was removed from the workspace (app_uninstalled)',
    });
    // Admins see it, with the reason (asked from the console: the workspace is still removed).
    await app.accept({
      kind: 'command',
      platform: 'console',
      eventId: `console-cmd-${Date.now()}`,
      sender: { platform: 'console', tenant: 'local', userId: 'rootc', displayName: 'rootc' },
      conversation: { platform: 'console', tenant: 'local', channel: 'dm-rootc', isDirect: true },
      text: 'deadletters',
    });
    await app.idle();
    expect(app.output()).toContain('Removed from slack workspace T0001 (app_uninstalled');
    expect(app.output()).toMatch(
      /undeliverable → slack CTRIAGE \(ticket id \d+\), \d+ min ago: the bot was removed/,
    );
    // No person was made for the removal itself (only carol and rootc, from the console).
    expect((await app.deps.db.selectFrom('people').select('id').execute()).length).toBe(people.length + 2);

    await run(message(alice, 'the app is back, my mouse is broken'));
    expect(platform.deliveries.length).toBeGreaterThan(0);
    const installation = await app.deps.db.selectFrom('installations').selectAll().executeTakeFirstOrThrow();
    expect(installation).toMatchObject({ status: 'active', reason: null });
  });

  it('welcomes a conversation once, however often the install is repeated', async () => {
    const installed = (): ChatEvent => ({
      kind: 'installed',
      platform: 'slack',
      eventId: `installed-${++seq}`,
      sender: bob,
      conversation: { platform: 'slack', tenant: TENANT, channel: 'CNEW' },
    });
    await run(installed());
    await run(installed());
    expect(textsTo('CNEW').filter((text) => text.includes("I'm the IT helpdesk"))).toHaveLength(1);
  });
});

describe('messages that are not for the bot', () => {
  it('costs no directory call, no person and no conversation row', async () => {
    const stranger = user('USTRANGER', 'Stranger');
    const chatter = message(stranger, 'lunch at noon?', {
      conversation: { platform: 'slack', tenant: TENANT, channel: 'CRANDOM', thread: '99.1' },
      isDirect: false,
    });
    await run(chatter);
    expect(platform.lookups).toEqual([]);
    expect(platform.deliveries).toEqual([]);
    const event = await app.deps.db
      .selectFrom('inbound_events')
      .select('status')
      .where('event_id', '=', chatter.eventId)
      .executeTakeFirstOrThrow();
    expect(event.status).toBe('done');
    expect(
      await app.deps.db
        .selectFrom('identities')
        .select('user_id')
        .where('user_id', '=', 'USTRANGER')
        .execute(),
    ).toEqual([]);
    expect(
      await app.deps.db.selectFrom('conversations').select('id').where('channel', '=', 'CRANDOM').execute(),
    ).toEqual([]);
  });
});

describe('absurd ticket numbers', () => {
  it('answers "There is no ticket" at once, without a query error', async () => {
    for (const number of ['99999999999999999999', '2147483648', '0']) {
      platform.deliveries.length = 0;
      await run(command(root, `show #${number}`));
      const answer = platform.deliveries.map((d) => JSON.stringify(d)).join('\n');
      expect(answer).toContain(`There is no ticket #${number}.`);
    }
    const failed = await app.deps.db
      .selectFrom('inbound_events')
      .select('error')
      .where('error', 'is not', null)
      .execute();
    expect(failed).toEqual([]);
  });
});

describe('text Postgres cannot store', () => {
  it('files a message with a NUL character and a lone surrogate, keeping the rest of the words', async () => {
    const sender = user('UPOISON', 'Poison Example');
    await run(message(sender, 'printer\u0000 jams on page \ud800 two'));
    const ticket = await latestTicket();
    expect(ticket.description).toBe('printer jams on page \ufffd two');
    const failed = await app.deps.db
      .selectFrom('inbound_events')
      .select('error')
      .where('error', 'is not', null)
      .execute();
    expect(failed).toEqual([]);
  });
});

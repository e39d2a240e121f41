import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TeamsSettings } from '../../src/bots/teams/config.ts';
import { createTeamsNotifier, type TeamsNotifier } from '../../src/bots/teams/notifier.ts';
import type { ConversationRef } from '../../src/core/chat/chat.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { ticketCard as card, failure } from '../support/notifier.ts';
import { type FakeConnector, startFakeConnector } from './fake-connector.ts';

const APP_ID = '00000000-0000-4000-8000-0000000b0701';
const TENANT = '9f1e2d3c-0000-4000-8000-00000000c0de';
const settings: TeamsSettings = {
  MICROSOFT_APP_ID: APP_ID,
  MICROSOFT_APP_PASSWORD: 'not-used-the-token-comes-from-the-test',
  MICROSOFT_APP_TYPE: 'MultiTenant',
  MICROSOFT_APP_TENANT_ID: '',
  NODE_ENV: 'test',
  localMode: false,
};

let connector: FakeConnector;
let notifier: TeamsNotifier;

function ref(
  channel: string,
  conversationType: string,
  extra: Partial<ConversationRef> = {},
): ConversationRef {
  return {
    platform: 'teams',
    tenant: TENANT,
    channel,
    isDirect: conversationType === 'personal',
    data: {
      reference: {
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        bot: { id: `28:${APP_ID}`, name: 'Helpdesk' },
        conversation: {
          id: channel,
          conversationType,
          isGroup: conversationType !== 'personal',
          tenantId: TENANT,
        },
      },
    },
    ...extra,
  };
}

beforeAll(async () => {
  connector = await startFakeConnector();
});
afterAll(async () => {
  await connector.close();
});
beforeEach(() => {
  connector.calls.length = 0;
  notifier = createTeamsNotifier({
    config: settings,
    log: silentLogger,
    connectorToken: { getToken: async () => 'connector-token' },
  });
});

describe('Teams notifier', () => {
  it('posts a card into a personal chat with the bot token and returns the activity id', async () => {
    const receipt = await notifier.deliver({ op: 'post', target: ref('a:1dana', 'personal'), message: card });
    expect(connector.calls).toHaveLength(1);
    const [call] = connector.calls;
    expect(call).toMatchObject({
      op: 'send',
      conversationId: 'a:1dana',
      authorization: 'Bearer connector-token',
    });
    expect(call?.body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(call?.body.attachments[0].content.actions[0]).toMatchObject({
      type: 'Action.Execute',
      verb: 'ticket.claim',
    });
    expect(receipt.messageId).toBeTruthy();
  });

  it('starts a new post in a channel, and replies into a reply chain when the target has a thread', async () => {
    const first = await notifier.deliver({
      op: 'post',
      target: ref('19:triage@thread.tacv2', 'channel'),
      message: card,
    });
    await notifier.deliver({
      op: 'post',
      target: ref('19:triage@thread.tacv2', 'channel', { thread: first.messageId }),
      message: { text: 'Dana replied: still broken' },
    });
    expect(connector.calls.map((call) => [call.op, call.conversationId])).toEqual([
      ['send', '19:triage@thread.tacv2'],
      ['send', `19:triage@thread.tacv2;messageid=${first.messageId}`],
    ]);
    expect(connector.calls[1]?.body.text).toBe('Dana replied: still broken');
  });

  it('updates a card in place by activity id', async () => {
    const receipt = await notifier.deliver({
      op: 'update',
      target: ref('19:triage@thread.tacv2', 'channel', { thread: '1732600000500' }),
      messageId: '1732600000500',
      message: card,
    });
    expect(receipt.messageId).toBe('1732600000500');
    expect(connector.calls[0]).toMatchObject({
      method: 'PUT',
      op: 'update',
      conversationId: '19:triage@thread.tacv2;messageid=1732600000500',
      activityId: '1732600000500',
    });
  });

  it('reports 429 as transient with the Retry-After, after a single request', async () => {
    connector.failNext(429, 1, { 'retry-after': '3' });
    const error = await failure(
      notifier.deliver({ op: 'post', target: ref('a:1dana', 'personal'), message: card }),
    );
    expect(error.code).toBe('transient_delivery_failure');
    expect(error.retryAfter).toBe(3);
    expect(connector.calls).toHaveLength(1);
  });

  it.each([412, 502, 504])(
    'reports HTTP %i as transient so the outbox retries with backoff',
    async (status) => {
      connector.failNext(status);
      const error = await failure(
        notifier.deliver({ op: 'post', target: ref('a:1dana', 'personal'), message: card }),
      );
      expect(error.code).toBe('transient_delivery_failure');
      expect(connector.calls).toHaveLength(1);
    },
  );

  it.each([403, 404])('reports HTTP %i (bot removed, conversation gone) as permanent', async (status) => {
    connector.failNext(status);
    const error = await failure(
      notifier.deliver({ op: 'post', target: ref('19:gone@thread.tacv2', 'channel'), message: card }),
    );
    expect(error.code).toBe('permanent_delivery_failure');
  });

  it('reports a conversation without a stored Bot Framework reference as permanent', async () => {
    const error = await failure(
      notifier.deliver({
        op: 'post',
        target: { platform: 'teams', tenant: TENANT, channel: '19:x' },
        message: card,
      }),
    );
    expect(error.code).toBe('permanent_delivery_failure');
  });

  it('sends an "ephemeral" message from a channel to the user in a 1:1 chat', async () => {
    await notifier.deliver({
      op: 'ephemeral',
      target: ref('19:general@thread.tacv2', 'channel'),
      userId: '0b0e6a4e-1111',
      message: { text: 'Only you can see this' },
    });
    expect(connector.calls.map((call) => call.op)).toEqual(['create-conversation', 'send']);
    expect(connector.calls[0]?.body).toMatchObject({
      isGroup: false,
      members: [{ id: '0b0e6a4e-1111' }],
      tenantId: TENANT,
    });
    expect(connector.calls[1]?.conversationId).toMatch(/^a:fake-1on1-/);
  });

  it('falls back to the conversation when no 1:1 chat can be created', async () => {
    connector.failNext(403);
    await notifier.deliver({
      op: 'ephemeral',
      target: ref('19:general@thread.tacv2', 'channel'),
      userId: '0b0e6a4e-1111',
      message: { text: 'Only you can see this' },
    });
    expect(connector.calls.map((call) => [call.op, call.conversationId])).toEqual([
      ['create-conversation', ''],
      ['send', '19:general@thread.tacv2'],
    ]);
  });

  it('posts a dialog as a form card and treats home as a no-op', async () => {
    await notifier.deliver({
      op: 'dialog',
      target: ref('a:1dana', 'personal'),
      triggerId: '',
      dialog: {
        callbackId: 'ticket.resolve.submit',
        title: 'Resolve #4',
        submitLabel: 'Resolve',
        privateValue: '4',
        inputs: [{ id: 'note', label: 'Resolution note', multiline: true }],
      },
    });
    expect(
      await notifier.deliver({ op: 'home', target: ref('a:1dana', 'personal'), userId: 'u', messages: [] }),
    ).toEqual({});
    expect(connector.calls).toHaveLength(1);
    expect(connector.calls[0]?.body.attachments[0].content.actions[0]).toMatchObject({
      verb: 'ticket.resolve.submit',
    });
  });

  it('looks up a user e-mail in the roster of the conversation they wrote in', async () => {
    connector.addMember('a:1dana', {
      id: '29:1dana',
      name: 'Dana Fischer',
      aadObjectId: '0b0e6a4e-1111',
      email: 'dana@example.com',
      userPrincipalName: 'dana@example.com',
    });
    const user = {
      platform: 'teams' as const,
      tenant: TENANT,
      userId: '0b0e6a4e-1111',
      displayName: 'Dana Fischer',
    };
    expect(await notifier.lookupUser(user, ref('a:1dana', 'personal'))).toEqual({
      ...user,
      email: 'dana@example.com',
      aliases: ['29:1dana'],
    });
    expect(connector.calls[0]).toMatchObject({
      op: 'get-member',
      conversationId: 'a:1dana',
      activityId: '0b0e6a4e-1111',
    });
    expect(await notifier.lookupUser(user)).toEqual(user);
  });

  it('resolves a 29: id from a mention to the Entra object id, keeping the 29: id as an alias, once', async () => {
    connector.addMember('19:team-general@thread.tacv2', {
      id: '29:1maria-mention-id',
      name: 'Maria José da Silva',
      aadObjectId: '6b7b3b2a-2c4b-4175-8582-41c9e685c1b5',
      email: 'maria@example.com',
    });
    const mentioned = { platform: 'teams' as const, tenant: TENANT, userId: '29:1maria-mention-id' };
    const where = ref('19:team-general@thread.tacv2', 'channel');
    const expected = {
      ...mentioned,
      userId: '6b7b3b2a-2c4b-4175-8582-41c9e685c1b5',
      displayName: 'Maria José da Silva',
      email: 'maria@example.com',
      aliases: ['29:1maria-mention-id'],
    };
    expect(await notifier.lookupUser(mentioned, where)).toEqual(expected);
    // A second mention of the same person is answered from memory.
    expect(await notifier.lookupUser(mentioned, where)).toEqual(expected);
    expect(connector.calls.filter((call) => call.op === 'get-member')).toHaveLength(1);
  });

  it('asks the roster once more after a dropped connection or a 503, and not after a 404', async () => {
    const where = ref('19:team-flaky@thread.tacv2', 'channel');
    connector.addMember('19:team-flaky@thread.tacv2', {
      id: '29:1flaky-member',
      name: 'Flaky Member',
      aadObjectId: '6b7b3b2a-2c4b-4175-8582-0000000000f1',
      email: 'flaky@example.com',
    });
    const lookups = () => connector.calls.filter((call) => call.op === 'get-member').length;
    const before = lookups();
    connector.failNextLookup('reset');
    const reset = await notifier.lookupUser(
      { platform: 'teams', tenant: TENANT, userId: '29:1flaky-member' },
      where,
    );
    expect(reset).toMatchObject({
      userId: '6b7b3b2a-2c4b-4175-8582-0000000000f1',
      email: 'flaky@example.com',
    });
    expect(lookups() - before).toBe(2);

    connector.failNextLookup(503);
    const other = {
      platform: 'teams' as const,
      tenant: TENANT,
      userId: '6b7b3b2a-2c4b-4175-8582-0000000000f1',
    };
    expect(await notifier.lookupUser(other, where)).toMatchObject({ email: 'flaky@example.com' });
    expect(lookups() - before).toBe(4);

    // Someone not in the conversation: asking again cannot help.
    const stranger = { platform: 'teams' as const, tenant: TENANT, userId: '29:1not-a-member' };
    expect(await notifier.lookupUser(stranger, where)).toEqual(stranger);
    expect(lookups() - before).toBe(5);
  });

  it('forgets the least recently used member when its memory of members is full', async () => {
    const small = createTeamsNotifier({
      config: settings,
      log: silentLogger,
      connectorToken: { getToken: async () => 'connector-token' },
      memberCache: { size: 2, ttlMs: 60_000 },
    });
    const where = ref('19:team-lru@thread.tacv2', 'channel');
    for (const n of [1, 2, 3])
      connector.addMember('19:team-lru@thread.tacv2', {
        id: `29:1member-${n}`,
        name: `Member ${n}`,
        aadObjectId: `6b7b3b2a-2c4b-4175-8582-00000000000${n}`,
      });
    const look = (n: number) =>
      small.lookupUser({ platform: 'teams', tenant: TENANT, userId: `29:1member-${n}` }, where);
    const lookups = () => connector.calls.filter((call) => call.op === 'get-member').length;
    await look(1);
    await look(2);
    await look(1); // remembered, and now the most recent
    expect(lookups()).toBe(2);
    await look(3); // evicts 2
    await look(1);
    expect(lookups()).toBe(3);
    await look(2);
    expect(lookups()).toBe(4);
  });

  it('does not remember a failed member look-up, and reads the documented objectId spelling', async () => {
    const unknown = { platform: 'teams' as const, tenant: TENANT, userId: '29:1not-yet-in-team' };
    const where = ref('19:team-x@thread.tacv2', 'channel');
    expect(await notifier.lookupUser(unknown, where)).toEqual(unknown);
    connector.addMember('19:team-x@thread.tacv2', {
      id: '29:1not-yet-in-team',
      name: 'Rick Stevens',
      aadObjectId: '',
      objectId: '76b0b09f-d410-48fd-993e-84da521a597b',
      email: 'rick@example.com',
    } as never);
    expect(await notifier.lookupUser(unknown, where)).toMatchObject({
      userId: '76b0b09f-d410-48fd-993e-84da521a597b',
      aliases: ['29:1not-yet-in-team'],
    });
    expect(connector.calls.filter((call) => call.op === 'get-member')).toHaveLength(2);
  });
});

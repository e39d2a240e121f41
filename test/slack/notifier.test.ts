import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackNotifier, type SlackNotifier } from '../../src/bots/slack/notifier.ts';
import type { ConversationRef } from '../../src/core/chat/chat.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { ticketCard as card, failure } from '../support/notifier.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { ids } from './fixtures/index.ts';

let slack: FakeSlack;
let notifier: SlackNotifier;
let nowMs = 1_764_200_000_000;
const registry = new Registry();

const triage: ConversationRef = { platform: 'slack', tenant: ids.team, channel: ids.triage };

async function permanentCount(error: string): Promise<number> {
  const metric = await registry.getSingleMetric('helpdesk_slack_permanent_delivery_failures_total')?.get();
  return metric?.values.find((v) => v.labels.error === error)?.value ?? 0;
}

beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.calls.length = 0;
  notifier = createSlackNotifier({
    config: { botToken: 'xoxb-test-token', apiUrl: slack.apiUrl },
    log: silentLogger,
    now: () => nowMs,
    registry,
  });
});

describe('Slack notifier deliveries', () => {
  it('posts a card into a thread with the bot token and returns the message ts for later updates', async () => {
    const receipt = await notifier.deliver({
      op: 'post',
      target: { ...triage, thread: '111.222' },
      message: card,
    });
    const [call] = slack.callsTo('chat.postMessage');
    expect(call?.token).toBe('xoxb-test-token');
    expect(call?.args).toMatchObject({ channel: ids.triage, thread_ts: '111.222', text: card.text });
    expect(call?.args.blocks[0]).toMatchObject({ type: 'header' });
    expect(receipt.messageId).toMatch(/^\d+\.\d{6}$/);
  });

  it('updates a card in place with chat.update', async () => {
    await notifier.deliver({ op: 'update', target: triage, messageId: '1764.0001', message: card });
    expect(slack.callsTo('chat.update')[0]?.args).toMatchObject({ channel: ids.triage, ts: '1764.0001' });
  });

  it('answers a slash command through its response_url, and falls back to chat.postEphemeral when that fails', async () => {
    const target = { ...triage, data: { responseUrl: slack.responseUrl('cmd1') } };
    await notifier.deliver({ op: 'ephemeral', target, userId: ids.agent, message: { text: 'Claimed #4' } });
    expect(slack.callsTo('response_url')[0]?.args).toMatchObject({
      response_type: 'ephemeral',
      text: 'Claimed #4',
    });
    expect(slack.callsTo('chat.postEphemeral')).toHaveLength(0);

    slack.failNext('response_url', { status: 500 });
    await notifier.deliver({ op: 'ephemeral', target, userId: ids.agent, message: { text: 'again' } });
    expect(slack.callsTo('chat.postEphemeral')[0]?.args).toMatchObject({
      channel: ids.triage,
      user: ids.agent,
    });
  });

  it('sends a private answer with no channel (App Home, a modal opened there) to the person’s DM, never postEphemeral to a user id', async () => {
    for (const user of [ids.alice, 'W0GRIDUSER']) {
      const target: ConversationRef = { platform: 'slack', tenant: ids.team, channel: user, isDirect: true };
      const receipt = await notifier.deliver({
        op: 'ephemeral',
        target,
        userId: user,
        message: { text: 'Only agents can do that' },
      });
      expect(receipt.messageId).toMatch(/^\d+\.\d{6}$/);
    }
    expect(slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(slack.callsTo('chat.postMessage').map((c) => [c.args.channel, c.args.text])).toEqual([
      [ids.alice, 'Only agents can do that'],
      ['W0GRIDUSER', 'Only agents can do that'],
    ]);
  });

  it('opens a modal with views.open and publishes App Home with views.publish', async () => {
    await notifier.deliver({
      op: 'dialog',
      target: triage,
      triggerId: 'trig-1',
      dialog: {
        callbackId: 'ticket.resolve.submit',
        title: 'Resolve #4',
        submitLabel: 'Resolve',
        privateValue: '4',
        inputs: [{ id: 'note', label: 'Note' }],
      },
    });
    const open = slack.callsTo('views.open')[0];
    expect(open?.args.trigger_id).toBe('trig-1');
    expect(open?.args.view).toMatchObject({ type: 'modal', callback_id: 'ticket.resolve.submit' });
    expect(JSON.parse(open?.args.view.private_metadata)).toMatchObject({ value: '4', channel: ids.triage });

    await notifier.deliver({ op: 'home', target: triage, userId: ids.alice, messages: [card] });
    expect(slack.callsTo('views.publish')[0]?.args).toMatchObject({
      user_id: ids.alice,
      view: { type: 'home' },
    });
  });
});

describe('Slack notifier failures', () => {
  it('turns a 429 into a transient failure carrying Retry-After, without retrying inside the client', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await failure(notifier.deliver({ op: 'post', target: triage, message: card }));
    expect(error.code).toBe('transient_delivery_failure');
    expect(error.retryAfter).toBe(7);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('treats `ratelimited` errors, 500s and a 429 without Retry-After as transient', async () => {
    slack.failNext('chat.postMessage', { error: 'ratelimited' });
    slack.failNext('chat.postMessage', { status: 500 });
    slack.failNext('chat.postMessage', { status: 429 });
    for (let i = 0; i < 3; i++) {
      expect((await failure(notifier.deliver({ op: 'post', target: triage, message: card }))).code).toBe(
        'transient_delivery_failure',
      );
    }
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it.each([
    'channel_not_found',
    'not_in_channel',
    'is_archived',
    'invalid_auth',
    'token_revoked',
    'account_inactive',
  ])('treats %s as a permanent failure and counts it', async (code) => {
    const before = await permanentCount(code);
    slack.failNext('chat.postMessage', { error: code });
    const error = await failure(notifier.deliver({ op: 'post', target: triage, message: card }));
    expect(error.code).toBe('permanent_delivery_failure');
    expect(error.message).toContain(code);
    expect(await permanentCount(code)).toBe(before + 1);
  });

  it('posts the text version when Slack cannot fetch a card image, so the message is not lost', async () => {
    const withImage = {
      text: 'Daily digest\nTickets per day: 11-26 3',
      card: { kind: 'digest', title: 'Digest', body: 'Daily digest', imageUrl: 'https://x.test/c.png' },
    };
    slack.failNext('chat.postMessage', { error: 'invalid_blocks' });
    const receipt = await notifier.deliver({ op: 'post', target: triage, message: withImage });
    const [refused, sent] = slack.callsTo('chat.postMessage');
    expect(refused?.args.blocks.some((b: { type: string }) => b.type === 'image')).toBe(true);
    expect(sent?.args.blocks).toBeUndefined();
    expect(sent?.args.text).toBe(withImage.text);
    expect(receipt.messageId).toBe(sent?.response?.ts);
  });

  it('still treats invalid_blocks on a card without an image as a permanent failure', async () => {
    slack.failNext('chat.postMessage', { error: 'invalid_blocks' });
    const error = await failure(notifier.deliver({ op: 'post', target: triage, message: card }));
    expect(error.code).toBe('permanent_delivery_failure');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe('Slack directory look-ups', () => {
  it('fills in display name and e-mail from users.info and caches them until the TTL passes', async () => {
    slack.addUser({
      id: ids.alice,
      name: 'alice',
      displayName: 'Alice',
      realName: 'Alice Liddell',
      email: 'alice@acme.test',
    });
    const user = { platform: 'slack' as const, tenant: ids.team, userId: ids.alice };
    expect(await notifier.lookupUser(user)).toMatchObject({ displayName: 'Alice', email: 'alice@acme.test' });
    await notifier.lookupUser(user);
    expect(slack.callsTo('users.info')).toHaveLength(1);
    nowMs += 11 * 60_000;
    await notifier.lookupUser(user);
    expect(slack.callsTo('users.info')).toHaveLength(2);
  });

  it('returns the user unchanged when Slack does not know them', async () => {
    const user = { platform: 'slack' as const, tenant: ids.team, userId: 'U0GHOST' };
    expect(await notifier.lookupUser(user)).toEqual(user);
  });

  it('fetches the text and author of a reacted-to message, in the channel or inside a thread', async () => {
    slack.addMessage('C0GENERAL', {
      ts: '1764148600.000900',
      text: 'Outlook keeps asking for my password',
      user: ids.alice,
    });
    slack.addMessage('C0GENERAL', {
      ts: '1764148700.000100',
      text: 'same here',
      user: 'U0BOB',
      thread_ts: '1764148600.000900',
    });
    const where = { platform: 'slack' as const, tenant: ids.team, channel: 'C0GENERAL' };
    expect(await notifier.fetchMessage(where, '1764148600.000900')).toMatchObject({
      text: 'Outlook keeps asking for my password',
      author: { userId: ids.alice },
    });
    expect(await notifier.fetchMessage(where, '1764148700.000100')).toMatchObject({
      text: 'same here',
      author: { userId: 'U0BOB' },
    });
    slack.failNext('conversations.history', { error: 'channel_not_found' });
    expect(await notifier.fetchMessage(where, '1764148600.000900')).toBeUndefined();
  });

  it('learns its own bot user id from auth.test once', async () => {
    expect(await notifier.identity()).toEqual({ userId: ids.bot, botId: ids.botId });
    await notifier.identity();
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });
});

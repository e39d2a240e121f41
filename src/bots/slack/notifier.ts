import { WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import { Counter, type Registry, register } from 'prom-client';
import type { ChatAttachment, ChatUser, ConversationRef, OutMessage } from '../../core/chat/chat.ts';
import type { Delivery, DeliveryReceipt, Notifier } from '../../core/chat/notifier.ts';
import { HelpdeskError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { SlackConfig } from './config.ts';
import { classifySlackError, toDeliveryError } from './delivery-errors.ts';
import { renderHome, renderMessage, renderModal } from './render.ts';
import { toSlackLogger } from './slack-logger.ts';
import { attachmentsOf } from './to-chat-event.ts';

export interface SlackNotifierOptions {
  config: Pick<SlackConfig, 'botToken' | 'apiUrl'>;
  log: Logger;
  /** Milliseconds since the epoch; the user cache's clock. */
  now?: () => number;
  /** For response_url posts (tests point them at the fake server). */
  fetch?: typeof globalThis.fetch;
  userCacheTtlMs?: number;
  requestTimeoutMs?: number;
  /** Where the permanent-failure counter lives (the app's registry); the global one by default. */
  registry?: Registry;
}

/** A message as fetched back from Slack, for filing a reacted-to message. */
export interface FetchedMessage {
  text: string;
  author: ChatUser;
  thread?: string | undefined;
  /** Its files, by link (a 🎫 on a screenshot files the screenshot too). */
  attachments?: ChatAttachment[] | undefined;
}

export interface SlackNotifier extends Notifier {
  lookupUser(user: ChatUser): Promise<ChatUser>;
  /** The text and author of one message (a 🎫 reaction carries neither); undefined when Slack will not say. */
  fetchMessage(conversation: ConversationRef, messageId: string): Promise<FetchedMessage | undefined>;
  /** The bot's own user id and bot id (auth.test, once). */
  identity(): Promise<{ userId: string; botId: string | undefined }>;
  readonly client: WebClient;
}

/**
 * Every Web API method this adapter calls, with the bot scopes it needs. The manifest test checks
 * the manifest's scopes against this list and this list against the calls in this file.
 */
export const WEB_API_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'views.open': [],
  'views.publish': [],
  'users.info': ['users:read', 'users:read.email'],
  // Reading a reacted-to message back, in public and private channels and in DMs with the bot.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
};

const USER_CACHE_MAX = 10_000;

/** Slack user ids (`U…`, Enterprise Grid `W…`); channels start with C, G or D. */
function isUserId(channel: string): boolean {
  return /^[UW][A-Z0-9]{2,}$/.test(channel);
}

function failureCounter(registry: Registry): Counter<'op' | 'error'> {
  const name = 'helpdesk_slack_permanent_delivery_failures_total';
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<'op' | 'error'>;
  return new Counter({
    name,
    help: 'Slack deliveries that failed for good (channel gone, bot removed, token revoked), by operation and Slack error',
    labelNames: ['op', 'error'],
    registers: [registry],
  });
}

/** The Slack side of the outbox: Web API calls with retries left to the outbox, errors made neutral. */
export function createSlackNotifier(options: SlackNotifierOptions): SlackNotifier {
  const log = options.log.child({ platform: 'slack' });
  const fetchFn = options.fetch ?? globalThis.fetch;
  const client = new WebClient(options.config.botToken, {
    slackApiUrl: options.config.apiUrl,
    // The outbox owns retries: it keeps a thread's messages in order while it waits out a 429.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.requestTimeoutMs ?? 10_000,
    logger: toSlackLogger(log),
  });
  const permanentFailures = failureCounter(options.registry ?? register);
  const users = new LRUCache<string, ChatUser>({
    max: USER_CACHE_MAX,
    ttl: options.userCacheTtlMs ?? 10 * 60_000,
    // A test clock is read on every look-up (lru-cache would reuse one reading for up to 1 ms).
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  let identity: Promise<{ userId: string; botId: string | undefined }> | undefined;

  async function call<T>(
    op: Delivery['op'],
    channel: string | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const failure = toDeliveryError(error, op);
      if (failure.code === 'permanent_delivery_failure') {
        const code = classifySlackError(error).code;
        permanentFailures.inc({ op, error: code });
        log.warn({ op, channel, error: code }, 'slack delivery failed permanently');
      }
      throw failure;
    }
  }

  /** response_url answers in place of the slash command for 30 minutes; past that, postEphemeral. */
  async function viaResponseUrl(url: string, body: Record<string, unknown>): Promise<boolean> {
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.requestTimeoutMs ?? 10_000),
      });
      await response.body?.cancel();
      return response.ok;
    } catch (error) {
      log.debug(
        { error: (error as Error).message },
        'response_url post failed, falling back to chat.postEphemeral',
      );
      return false;
    }
  }

  async function deliver(delivery: Delivery): Promise<DeliveryReceipt> {
    const { target } = delivery;
    switch (delivery.op) {
      case 'post': {
        const post = (message: OutMessage) =>
          client.chat.postMessage({
            channel: target.channel,
            ...renderMessage(message),
            ...(target.thread ? { thread_ts: target.thread } : {}),
            unfurl_links: false,
          });
        const result = await call('post', target.channel, async () => {
          try {
            return await post(delivery.message);
          } catch (error) {
            // Slack refuses the whole message ("downloading image failed") when it cannot fetch an
            // image block's URL; the text version still gets the message through.
            if (!delivery.message.card?.imageUrl || classifySlackError(error).code !== 'invalid_blocks')
              throw error;
            log.warn({ channel: target.channel }, 'slack refused the image block; posting the text instead');
            return post({ text: delivery.message.text });
          }
        });
        return { messageId: result.ts };
      }
      case 'update': {
        const rendered = renderMessage(delivery.message);
        const result = await call('update', target.channel, () =>
          client.chat.update({ channel: target.channel, ts: delivery.messageId, ...rendered }),
        );
        return { messageId: result.ts ?? delivery.messageId };
      }
      case 'ephemeral': {
        const rendered = renderMessage(delivery.message);
        const responseUrl = target.data?.responseUrl;
        if (typeof responseUrl === 'string') {
          const body = { response_type: 'ephemeral', replace_original: false, ...rendered };
          if (await viaResponseUrl(responseUrl, body)) return {};
        }
        // A user id is no channel for chat.postEphemeral (an App Home button, a modal opened there):
        // the person's DM with the app is where only they see it.
        if (isUserId(target.channel)) {
          const result = await call('ephemeral', target.channel, () =>
            client.chat.postMessage({ channel: delivery.userId, ...rendered, unfurl_links: false }),
          );
          return { messageId: result.ts };
        }
        await call('ephemeral', target.channel, () =>
          client.chat.postEphemeral({
            channel: target.channel,
            user: delivery.userId,
            ...rendered,
            ...(target.thread ? { thread_ts: target.thread } : {}),
          }),
        );
        return {};
      }
      case 'dialog': {
        const result = await call('dialog', target.channel, () =>
          client.views.open({ trigger_id: delivery.triggerId, view: renderModal(delivery.dialog, target) }),
        );
        return { messageId: result.view?.id };
      }
      case 'home': {
        const result = await call('home', target.channel, () =>
          client.views.publish({ user_id: delivery.userId, view: renderHome(delivery.messages) }),
        );
        return { messageId: result.view?.id };
      }
    }
  }

  async function lookupUser(user: ChatUser): Promise<ChatUser> {
    if (user.platform !== 'slack') return user;
    const key = `${user.tenant}:${user.userId}`;
    const cached = users.get(key);
    if (cached) return { ...user, ...cached };
    try {
      const result = await client.users.info({ user: user.userId, include_locale: true });
      const profile = result.user?.profile;
      const found: ChatUser = {
        ...user,
        displayName:
          profile?.display_name ||
          profile?.real_name ||
          result.user?.real_name ||
          result.user?.name ||
          user.displayName,
        email: profile?.email ?? user.email,
        isBot: result.user?.is_bot === true || user.isBot,
        ...(result.user?.locale ? { locale: result.user.locale } : {}),
      };
      users.set(key, found);
      return found;
    } catch (error) {
      // The directory is a nicety: a person is still a person without a display name.
      log.warn({ user: user.userId, error: classifySlackError(error).code }, 'slack users.info failed');
      return user;
    }
  }

  async function fetchMessage(
    conversation: ConversationRef,
    messageId: string,
  ): Promise<FetchedMessage | undefined> {
    // A message without a human author (a bot post) cannot be filed on anyone's behalf.
    const toFetched = (
      message: { text?: string; user?: string; thread_ts?: string; files?: unknown[] } | undefined,
    ) =>
      message?.user
        ? {
            text: message.text ?? '',
            author: {
              platform: 'slack',
              tenant: conversation.tenant,
              userId: message.user,
            } satisfies ChatUser,
            thread: message.thread_ts,
            attachments: attachmentsOf(message.files),
          }
        : undefined;
    try {
      const history = await client.conversations.history({
        channel: conversation.channel,
        latest: messageId,
        inclusive: true,
        limit: 1,
      });
      const top = history.messages?.find((message) => message.ts === messageId);
      if (top) return toFetched(top);
      // A reply in a thread is not in the channel history.
      const replies = await client.conversations.replies({
        channel: conversation.channel,
        ts: messageId,
        latest: messageId,
        inclusive: true,
        limit: 1,
      });
      return toFetched(replies.messages?.find((message) => message.ts === messageId));
    } catch (error) {
      const failure = classifySlackError(error);
      if (!failure.permanent) throw toDeliveryError(error, 'fetch');
      log.warn({ channel: conversation.channel, error: failure.code }, 'slack message fetch failed');
      return undefined;
    }
  }

  function ownIdentity(): Promise<{ userId: string; botId: string | undefined }> {
    identity ??= client.auth.test().then(
      (result) => ({ userId: result.user_id ?? '', botId: result.bot_id }),
      (error) => {
        identity = undefined; // try again next time
        throw new HelpdeskError('internal', `Slack auth.test failed: ${classifySlackError(error).code}`, {
          cause: error,
        });
      },
    );
    return identity;
  }

  /** Whether the token works again (auth.test), for a workspace whose deliveries are paused. */
  async function probe(): Promise<boolean> {
    try {
      await client.auth.test();
      return true;
    } catch (error) {
      log.info({ error: classifySlackError(error).code }, 'slack token still refused');
      return false;
    }
  }

  return { platform: 'slack', client, deliver, lookupUser, fetchMessage, identity: ownIdentity, probe };
}

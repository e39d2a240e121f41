import { App, type Context } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import type { ChatEvent } from '../../core/chat/chat.ts';
import { REPEATED_COMMAND_MESSAGE } from '../../core/chat/messages.ts';
import type { Logger } from '../../core/logger.ts';
import type { SlackConfig } from './config.ts';
import { createSlackNotifier, type SlackNotifier, type SlackNotifierOptions } from './notifier.ts';
import { createDeferredAckReceiver, type DeferredAckReceiver, registerSlackRoute } from './receiver.ts';
import { toSlackLogger } from './slack-logger.ts';
import { createSocketMode, type SocketModeTuning } from './socket-mode.ts';
import { FILE_TICKET_SHORTCUT, SLASH_COMMAND, toChatEvent } from './to-chat-event.ts';

/**
 * Records one event in the core inbox (unique per platform + event id, a retyped command once per
 * window); the adapter acks after it.
 */
export type AcceptEvent = (
  event: ChatEvent,
) => Promise<{ duplicate: boolean; id: number; repeated?: true | undefined }>;

/**
 * The bot events the listeners below subscribe to, by their manifest names (`message.im`,
 * `message.channels` and `message.groups`, private channels, all arrive as Bolt's `message`).
 * The manifest test holds the manifest to it.
 */
export const BOT_EVENTS = [
  'app_mention',
  'message.im',
  'message.channels',
  'message.groups',
  'reaction_added',
  'app_home_opened',
  // The app was removed, or its bot token revoked: deliveries to that workspace stop.
  'app_uninstalled',
  'tokens_revoked',
] as const;

/** The bot scope each subscribed event needs. */
export const EVENT_SCOPES: Readonly<Record<(typeof BOT_EVENTS)[number], readonly string[]>> = {
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  reaction_added: ['reactions:read'],
  app_home_opened: [],
  app_uninstalled: [],
  tokens_revoked: [],
};

/** The slash command and the message shortcut both need `commands`. */
export const INTERACTION_SCOPES: readonly string[] = ['commands'];

interface ListenerArgs {
  body: unknown;
  context: Context;
  ack?: (() => Promise<void>) | undefined;
}

export interface SlackBoltOptions {
  receiver: DeferredAckReceiver;
  accept: AcceptEvent;
  log: Logger;
  botToken: string;
  apiUrl: string;
  /** The bot's own ids once auth.test has answered; events also name the bot in `authorizations`. */
  identity: () => { userId?: string | undefined; botId?: string | undefined };
  /** Callback ids of the helpdesk's own modals (core's action ids); other submissions are ignored. */
  modalCallbacks?: readonly string[] | undefined;
}

function authorizedBotUser(body: unknown): string | undefined {
  const authorizations = (body as { authorizations?: Array<{ user_id?: string }> })?.authorizations;
  return authorizations?.[0]?.user_id;
}

/**
 * The Bolt app: every listener converts, records, then acks; nothing else happens before the
 * ack (no Web API call, no model, no query beyond the inbox insert).
 */
export function createSlackBolt(options: SlackBoltOptions): App {
  const { accept, log } = options;
  const bolt = new App({
    receiver: options.receiver,
    // Never blocks on the network: ids come from auth.test when known, else from the event itself.
    authorize: async (_source, body) => {
      const known = options.identity();
      return {
        botToken: options.botToken,
        botUserId: known.userId ?? authorizedBotUser(body),
        botId: known.botId,
      };
    },
    logger: toSlackLogger(log.child({ component: 'bolt' })),
    clientOptions: { slackApiUrl: options.apiUrl, retryConfig: { retries: 0 } },
  });

  const modalCallbacks = options.modalCallbacks ? new Set(options.modalCallbacks) : undefined;
  const isOwnModal = modalCallbacks ? (callbackId: string) => modalCallbacks.has(callbackId) : undefined;
  const forward = async ({ body, context, ack }: ListenerArgs): Promise<void> => {
    const result = toChatEvent(body, { botUserId: context.botUserId, isOwnModal });
    let answer: { response_type: 'ephemeral'; text: string } | undefined;
    if (result.kind === 'event') {
      const { duplicate, repeated } = await accept(result.event);
      log.debug(
        { eventId: result.event.eventId, kind: result.event.kind, duplicate, repeated },
        'slack event recorded',
      );
      // The first command's answer comes through its own response_url; this one says why it is silent.
      if (repeated) answer = { response_type: 'ephemeral', text: REPEATED_COMMAND_MESSAGE };
    } else {
      log.debug({ reason: result.reason }, 'slack payload ignored');
    }
    // Events API requests were acked by Bolt already; the receiver only answers once we return.
    // Only a command's ack takes a response (an ephemeral answer), and only a command is repeated.
    if (ack) await (ack as (response?: unknown) => Promise<void>)(answer);
  };

  bolt.event('message', forward);
  bolt.event('app_mention', forward);
  bolt.event('reaction_added', forward);
  bolt.event('app_home_opened', forward);
  bolt.event('app_uninstalled', forward);
  bolt.event('tokens_revoked', forward);
  bolt.command(SLASH_COMMAND, forward);
  bolt.shortcut(FILE_TICKET_SHORTCUT, forward);
  bolt.action(/.*/, forward);
  bolt.view(/.*/, forward);
  return bolt;
}

export interface MountSlackOptions {
  config: SlackConfig;
  accept: AcceptEvent;
  log: Logger;
  /** Reuse a notifier (the app's), or tune the one created here. */
  notifier?: SlackNotifier | undefined;
  notifierDeps?: Partial<Omit<SlackNotifierOptions, 'config' | 'log'>> | undefined;
  /** Milliseconds since the epoch, for the signature window. */
  now?: (() => number) | undefined;
  /** Heartbeat, reconnect and retry settings for Socket Mode (the defaults otherwise). */
  socketMode?: SocketModeTuning | undefined;
  /** Callback ids of the helpdesk's own modals (the app passes core's action ids). */
  modalCallbacks?: readonly string[] | undefined;
}

export interface SlackMount {
  bolt: App;
  notifier: SlackNotifier;
  /** Disconnects Socket Mode; the HTTP route closes with the server. */
  close(): Promise<void>;
}

/**
 * Mounts Slack on the project's fastify server at `POST /slack/events` (when a signing secret is
 * set) and connects Socket Mode (when an app token is set).
 */
export async function mountSlack(app: FastifyInstance, options: MountSlackOptions): Promise<SlackMount> {
  const { config } = options;
  const log = options.log.child({ platform: 'slack' });
  const notifier =
    options.notifier ?? createSlackNotifier({ ...options.notifierDeps, config, log: options.log });
  let identity: { userId?: string | undefined; botId?: string | undefined } = {};
  notifier.identity().then(
    (found) => {
      identity = found;
    },
    (error: Error) => log.warn({ error: error.message }, 'slack auth.test failed: check SLACK_BOT_TOKEN'),
  );

  const receiver = createDeferredAckReceiver();
  const bolt = createSlackBolt({
    receiver,
    accept: options.accept,
    log,
    botToken: config.botToken,
    apiUrl: config.apiUrl,
    identity: () => identity,
    modalCallbacks: options.modalCallbacks,
  });

  if (config.signingSecret) {
    registerSlackRoute(app, {
      receiver,
      signingSecret: config.signingSecret,
      log,
      now: options.now ?? Date.now,
    });
  }
  const socket = config.appToken
    ? createSocketMode({
        receiver,
        appToken: config.appToken,
        apiUrl: config.apiUrl,
        log,
        tuning: options.socketMode,
      })
    : undefined;
  // Not awaited: start() retries until it connects or close() runs, and logs every failure itself.
  socket
    ?.start()
    .catch((error: Error) =>
      log.error({ error: error.message }, 'slack socket mode stopped trying to connect'),
    );
  return {
    bolt,
    notifier,
    async close() {
      await socket?.stop();
    },
  };
}

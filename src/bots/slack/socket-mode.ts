/**
 * Socket Mode, for local development behind a firewall: the same dispatch as `POST /slack/events`,
 * over a WebSocket that this module connects, reconnects and retries (p-retry: a capped, jittered
 * exponential backoff, with Slack's Retry-After waited out first).
 */
import type { Logger as SlackLogger } from '@slack/bolt';
import {
  SocketModeClient,
  type SocketModeOptions as SocketModeClientOptions,
  UnrecoverableSocketModeStartError,
} from '@slack/socket-mode';
import { ErrorCode as WebApiErrorCode } from '@slack/web-api';
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from '../../core/logger.ts';
import { type DeferredAckReceiver, type DispatchResult, malformedEnvelope } from './receiver.ts';
import { toSlackLogger } from './slack-logger.ts';

/**
 * The Socket Mode client's heartbeat settings (its defaults suit Slack: a ping every ~1.7 s, 5 s to
 * answer), whether a dropped connection is re-opened, and the wait between failed attempts to
 * connect: `first` to twice that after the first failure, doubling up to `max` (tests shorten both).
 */
export type SocketModeTuning = Pick<
  SocketModeClientOptions,
  'clientPingTimeout' | 'serverPingTimeout' | 'autoReconnectEnabled'
> & { retryDelayMs?: RetryDelays | undefined };

export interface RetryDelays {
  first: number;
  max: number;
}

const DEFAULT_RETRY_DELAYS: RetryDelays = { first: 1_000, max: 60_000 };

/**
 * apps.connections.open errors no retry can fix: the app-level token is wrong, revoked, lacks
 * `connections:write`, or its workspace or owner is gone. The client's own list, plus the rest.
 */
const PERMANENT_START_ERRORS = new Set<string>([
  ...Object.values(UnrecoverableSocketModeStartError),
  'not_allowed_token_type',
  'token_revoked',
  'missing_scope',
]);

/** A failed attempt to connect, carrying why (p-retry retries it unless wrapped in an AbortError). */
class StartError extends Error {
  constructor(readonly failure: StartFailure) {
    super(failure.reason);
    this.name = 'StartError';
  }
}

interface StartFailure {
  permanent: boolean;
  reason: string;
  /** Slack's Retry-After, when it rate-limited the call. */
  retryAfterMs?: number;
}

/** Why one attempt to connect failed, from the WebClient's coded errors (or a socket that closed early). */
function startFailure(error: unknown, socketError: Error | undefined): StartFailure {
  // The client rejects with nothing when the socket closes before Slack's hello.
  if (error === undefined) {
    return { permanent: false, reason: socketError?.message || 'the socket closed before Slack said hello' };
  }
  const coded = error as Partial<{
    code: string;
    data: { error?: string };
    statusCode: number;
    retryAfter: number;
    original: Error;
  }>;
  switch (coded.code) {
    case WebApiErrorCode.PlatformError: {
      const reason = coded.data?.error ?? 'unknown_error';
      return { permanent: PERMANENT_START_ERRORS.has(reason), reason };
    }
    case WebApiErrorCode.HTTPError:
      return { permanent: false, reason: `HTTP ${coded.statusCode}` };
    case WebApiErrorCode.RateLimitedError:
      return { permanent: false, reason: 'ratelimited', retryAfterMs: (coded.retryAfter ?? 0) * 1000 };
    case WebApiErrorCode.RequestError:
      return { permanent: false, reason: coded.original?.message ?? errorText(error) };
    default:
      return { permanent: false, reason: errorText(error) };
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; either way the timer is gone. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Lines the Slack SDKs log about a failed connection attempt, which createSocketMode reports
 * itself with the attempt number: kept at debug so that each failure is logged once.
 */
const REPORTED_BY_RETRY_LOOP = /^(Failed to retrieve a new WSS URL|http request failed|WebSocket error)/;

function quietOnReportedFailures(logger: SlackLogger): SlackLogger {
  const demote =
    (level: 'warn' | 'error') =>
    (...parts: unknown[]) =>
      typeof parts[0] === 'string' && REPORTED_BY_RETRY_LOOP.test(parts[0])
        ? logger.debug(...parts)
        : logger[level](...parts);
  return { ...logger, warn: demote('warn'), error: demote('error') };
}

export type SocketModeStart = 'connected' | 'stopped' | 'failed';

export interface SocketModeOptions {
  receiver: DeferredAckReceiver;
  appToken: string;
  apiUrl: string;
  log: Logger;
  tuning?: SocketModeTuning | undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Socket Mode for local development behind a firewall: the same dispatch, acknowledged over the
 * socket once recorded. An envelope that could not be recorded is left unacknowledged, so Slack
 * sends it again.
 */
export function createSocketMode(options: SocketModeOptions): {
  /** Connects, retrying until it does, stop() runs, or Slack refuses the token for good. */
  start(): Promise<SocketModeStart>;
  stop(): Promise<void>;
} {
  const { receiver, log } = options;
  const {
    retryDelayMs: delays = DEFAULT_RETRY_DELAYS,
    autoReconnectEnabled = true,
    ...heartbeat
  } = options.tuning ?? {};
  const client = new SocketModeClient({
    ...heartbeat,
    appToken: options.appToken,
    logger: quietOnReportedFailures(toSlackLogger(log.child({ transport: 'socket-mode' }))),
    // Connecting and reconnecting are done below: the client's own retries wait without a cap,
    // outlive disconnect(), and give up for good on a socket that closes before Slack's hello.
    autoReconnectEnabled: false,
    clientOptions: { slackApiUrl: options.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
  });
  refuseMalformedEnvelopes(client, log);
  const abort = new AbortController();
  let stopped = false;
  let connecting = false;
  let socketError: Error | undefined;

  /** One try after another, with a growing wait between them, until one connects. */
  async function connect(waitFirst: boolean): Promise<SocketModeStart> {
    connecting = true;
    try {
      if (waitFirst) await pause(delays.first, abort.signal);
      if (stopped) return 'stopped';
      await pRetry(
        async () => {
          socketError = undefined;
          try {
            await client.start();
          } catch (error) {
            if (stopped) throw new AbortError('stopped');
            const failure = startFailure(error, socketError);
            throw failure.permanent ? new AbortError(new StartError(failure)) : new StartError(failure);
          }
        },
        {
          retries: Number.POSITIVE_INFINITY,
          factor: 2,
          minTimeout: delays.first,
          maxTimeout: delays.max,
          // ×1–2, so that many instances do not retry in step.
          randomize: true,
          signal: abort.signal,
          async onFailedAttempt({ error, attemptNumber }) {
            // Every attempt throws a StartError (a permanent one is an AbortError, never seen here).
            const { failure } = error as StartError;
            log.warn(
              { attempt: attemptNumber, error: failure.reason, retryAfterMs: failure.retryAfterMs },
              'slack socket mode could not connect; retrying',
            );
            // Slack said how long to stay away: that first, then the backoff.
            if (failure.retryAfterMs) await pause(failure.retryAfterMs, abort.signal);
          },
        },
      );
      return stopped ? 'stopped' : 'connected';
    } catch (error) {
      if (stopped) return 'stopped';
      const reason = error instanceof StartError ? error.failure.reason : errorText(error);
      log.error({ error: reason }, 'slack socket mode cannot connect: check SLACK_APP_TOKEN; not retrying');
      return 'failed';
    } finally {
      connecting = false;
    }
  }

  // Every connection, reconnects included (Slack recycles them every few hours).
  client.on('connected', () => {
    // stop() ran while start() was still opening this socket: close it rather than leak it.
    if (stopped) void client.disconnect();
    else log.info('slack socket mode connected');
  });
  client.on('error', (error: Error) => {
    socketError = error;
  });
  client.on('disconnected', () => {
    // A failed attempt (connect() handles it) or stop().
    if (stopped || connecting) return;
    const error = socketError && (socketError.message || 'socket error');
    if (!autoReconnectEnabled) {
      log.warn({ error }, 'slack socket mode disconnected; reconnecting is off');
      return;
    }
    // Slack recycles connections every few hours; a socket error is worth more than a note.
    if (error) log.warn({ error }, 'slack socket mode disconnected; reconnecting');
    else log.info('slack socket mode disconnected; reconnecting');
    void connect(true);
  });
  client.on('slack_event', async ({ ack, body, envelope_id, retry_num, retry_reason }) => {
    let result: DispatchResult;
    try {
      result = await receiver.dispatch(body, retry_num, retry_reason);
    } catch (error) {
      log.error(
        { error: errorText(error), envelopeId: envelope_id },
        'slack socket event could not be recorded',
      );
      return;
    }
    try {
      await ack(result.response ?? undefined);
    } catch (error) {
      // Recorded, so Slack's redelivery of this envelope will be dropped as a duplicate.
      log.warn(
        { error: errorText(error), envelopeId: envelope_id },
        'slack socket event recorded but the ack was not sent',
      );
    }
  });
  return {
    start: () => connect(false),
    async stop() {
      stopped = true;
      // Ends a wait between attempts at once; an attempt in flight finds `stopped` when it settles.
      abort.abort();
      await client.disconnect();
    },
  };
}

/** Envelope types whose payload Bolt reads (the client's own hello and disconnect are left alone). */
const DISPATCHED = new Set(['events_api', 'interactive', 'slash_commands']);

/**
 * The client reads `payload.event.type` of an events_api envelope before any listener sees it, so
 * `"event": null` would be an unhandled rejection, which ends the process. A malformed envelope is
 * acknowledged here instead, as a 400 would be over HTTP (redelivery cannot make it readable), and
 * logged; everything else goes on to the client's own handler.
 */
function refuseMalformedEnvelopes(client: SocketModeClient, log: Logger): void {
  const handlers = client.listeners('ws_message') as Array<(data: unknown, isBinary: boolean) => unknown>;
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: string | ArrayBuffer, isBinary: boolean) => {
    const envelope = isBinary ? undefined : readEnvelope(data);
    if (envelope && DISPATCHED.has(String(envelope.type)) && typeof envelope.envelope_id === 'string') {
      const payload = envelope.payload;
      const problem =
        typeof payload === 'object' && payload !== null && !Array.isArray(payload)
          ? malformedEnvelope(payload as Record<string, unknown>)
          : 'payload is not an object';
      if (problem) {
        log.warn(
          { reason: problem, envelopeId: envelope.envelope_id },
          'slack socket event refused: malformed envelope',
        );
        const send = (client as unknown as { send(id: string): Promise<void> }).send;
        send
          .call(client, envelope.envelope_id)
          .catch((error: unknown) => log.warn({ error: errorText(error) }, 'slack socket ack failed'));
        return;
      }
    }
    for (const handler of handlers) void handler.call(client, data, isBinary);
  });
}

function readEnvelope(data: string | ArrayBuffer): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

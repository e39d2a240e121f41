import { parse as parseQuery } from 'node:querystring';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from '@slack/bolt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../core/logger.ts';
import { checkSlackSignature } from './signature.ts';

export const SLACK_EVENTS_PATH = '/slack/events';
/**
 * Slack's own payloads stay far below this (a 100-block view is ~300 KB); anything larger is not
 * from Slack, and fastify answers 413 before a byte is parsed.
 */
export const SLACK_BODY_LIMIT = 512 * 1024;

export interface DispatchResult {
  acked: boolean;
  /** What a listener passed to ack() (view_submission errors, for instance). */
  response: unknown;
}

/**
 * A Bolt receiver whose ack only marks the request: the transport answers Slack once Bolt's
 * listeners have finished, and ours only record the event in the inbox. So every event is stored
 * before Slack hears "200" (Bolt itself would ack Events API calls first).
 */
export interface DeferredAckReceiver extends Receiver {
  dispatch(body: Record<string, unknown>, retryNum?: number, retryReason?: string): Promise<DispatchResult>;
}

export function createDeferredAckReceiver(): DeferredAckReceiver {
  let bolt: App | undefined;
  return {
    init(app) {
      bolt = app;
    },
    start: async () => undefined,
    stop: async () => undefined,
    async dispatch(body, retryNum, retryReason) {
      if (!bolt) throw new Error('Slack receiver used before Bolt initialised it');
      const result: DispatchResult = { acked: false, response: undefined };
      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => {
          if (result.acked) throw new ReceiverMultipleAckError();
          result.acked = true;
          result.response = response;
        },
      };
      if (retryNum !== undefined) event.retryNum = retryNum;
      if (retryReason !== undefined) event.retryReason = retryReason;
      await bolt.processEvent(event);
      return result;
    },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type ParsedBody = { ok: true; body: Record<string, unknown> } | { ok: false };

/** Events API posts JSON; commands and interactivity post a form (interactivity as `payload=<json>`). */
export function parseSlackBody(raw: string, contentType: string | undefined): ParsedBody {
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = parseQuery(raw);
      if (typeof form.payload === 'string') return asObject(JSON.parse(form.payload));
      return asObject(form);
    }
    return asObject(JSON.parse(raw));
  } catch {
    return { ok: false };
  }
}

function asObject(value: unknown): ParsedBody {
  return isObject(value) ? { ok: true, body: value } : { ok: false };
}

/**
 * Why a signed body is not an envelope Slack sends (what Bolt's routing reads without checking),
 * or undefined when it is one. Such a body is refused with 400: a 500 would only make Slack send
 * the same poison again, and nothing in it can be recorded.
 */
export function malformedEnvelope(body: Record<string, unknown>): string | undefined {
  // A slash command is a form with `command` and no `type`.
  if (body.type === undefined && typeof body.command === 'string') return undefined;
  if (typeof body.type !== 'string') return 'no type';
  switch (body.type) {
    case 'event_callback':
      if (!isObject(body.event)) return 'event is not an object';
      if (typeof body.event.type !== 'string') return 'event without a type';
      return undefined;
    case 'block_actions':
      return Array.isArray(body.actions) ? undefined : 'block_actions without actions';
    case 'view_submission':
    case 'view_closed':
      return isObject(body.view) ? undefined : `${body.type} without a view`;
    case 'shortcut':
    case 'message_action':
      return typeof body.callback_id === 'string' ? undefined : `${body.type} without a callback_id`;
    default:
      return undefined;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function retryNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function sendAck(reply: FastifyReply, result: DispatchResult): FastifyReply {
  const { response } = result;
  if (response === undefined || response === null || response === '') return reply.code(200).send();
  if (typeof response === 'string') return reply.code(200).type('text/plain; charset=utf-8').send(response);
  return reply.code(200).send(response);
}

export interface SlackRouteOptions {
  receiver: DeferredAckReceiver;
  signingSecret: string;
  log: Logger;
  /** Milliseconds since the epoch, for the signature window. */
  now: () => number;
}

/**
 * `POST /slack/events` on the project's fastify server: events, slash commands and interactivity
 * on one URL, as the manifest says. Raw body first (the signature covers its exact bytes).
 */
export function registerSlackRoute(app: FastifyInstance, options: SlackRouteOptions): void {
  const { receiver, signingSecret, log, now } = options;
  app.register(async (scope) => {
    // Only inside this plugin: the rest of the server keeps fastify's JSON parser.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: SLACK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(SLACK_EVENTS_PATH, { bodyLimit: SLACK_BODY_LIMIT }, async (request, reply) => {
      const raw = typeof request.body === 'string' ? request.body : '';
      const signature = checkSlackSignature({
        signingSecret,
        signature: header(request, 'x-slack-signature'),
        timestamp: header(request, 'x-slack-request-timestamp'),
        rawBody: raw,
        nowMs: now(),
      });
      if (!signature.ok) {
        log.warn({ reason: signature.reason, ip: request.ip }, 'slack request rejected: bad signature');
        return reply.code(401).send({ error: 'invalid_signature' });
      }
      const parsed = parseSlackBody(raw, header(request, 'content-type'));
      if (!parsed.ok) return reply.code(400).send({ error: 'malformed_body' });
      const { body } = parsed;
      if (body.ssl_check !== undefined) return reply.code(200).send();
      if (body.type === 'url_verification') return reply.code(200).send({ challenge: body.challenge });
      const malformed = malformedEnvelope(body);
      if (malformed) {
        log.warn({ reason: malformed }, 'slack request refused: malformed envelope');
        return reply.code(400).send({ error: 'malformed_envelope' });
      }
      try {
        const result = await receiver.dispatch(
          body,
          retryNumber(header(request, 'x-slack-retry-num')),
          header(request, 'x-slack-retry-reason'),
        );
        // Nothing we listen to went unacknowledged; an unknown interaction still gets a quiet 200.
        if (!result.acked) log.debug({ type: body.type }, 'slack request had no listener');
        return sendAck(reply, result);
      } catch (error) {
        // Not recorded: a 5xx makes Slack retry the event later.
        log.error({ error: (error as Error).message }, 'slack request could not be recorded');
        return reply.code(500).send({ error: 'not_recorded' });
      }
    });
  });
}

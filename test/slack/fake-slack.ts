import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ids } from './fixtures/index.ts';

/** One Web API call (or response_url post) as the fake Slack server received it. */
export interface RecordedCall {
  method: string;
  /** Form fields, with JSON-looking ones (blocks, view) parsed back. */
  args: Record<string, any>;
  token: string | undefined;
  at: number;
  /** What the fake answered (for a post: the ts later updates and replies refer to). */
  response?: Record<string, any> | undefined;
  /** The request path (a response_url's name is its last part). */
  path?: string | undefined;
}

/** A scripted answer for the next call(s) of a method. */
export type FakeFailure =
  | { status: 429; retryAfter?: number | undefined }
  | { status: 500 | 502 | 503 }
  | { error: string }
  /** The connection is cut before any answer, as a network failure would. */
  | { drop: true };

export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  email?: string;
  isBot?: boolean;
  /** The user's Slack locale (`de-DE`); users.info returns it only when asked with include_locale. */
  locale?: string;
}

/**
 * A small Slack Web API on localhost that speaks the wire protocol the real @slack/web-api client
 * uses (form-encoded POSTs to /api/<method>), records every call and answers with 429s, 500s or
 * Slack errors when told to.
 */
export interface FakeSlack {
  /** The SLACK_API_URL to give the app: `http://127.0.0.1:<port>/api/`. */
  apiUrl: string;
  /** A response_url the fake accepts (its posts are recorded as method `response_url`). */
  responseUrl(name?: string): string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** The next `times` calls to `method` (those whose args match `when`, if given) fail this way. */
  failNext(
    method: string,
    failure: FakeFailure,
    times?: number,
    when?: (args: Record<string, any>) => boolean,
  ): void;
  /**
   * Every call to `methods` (`'*'`: any Web API method) fails this way for the next `durationMs`: a
   * rate-limit storm, an outage, a token refused for a while. `endsAt`: ms since the epoch.
   */
  failFor(methods: string[] | '*', failure: FakeFailure, durationMs: number): { endsAt: number };
  addUser(user: FakeUser): void;
  addMessage(
    channel: string,
    message: { ts: string; text: string; user: string; thread_ts?: string; files?: unknown[] },
  ): void;
  /** Resolves when a call matching `predicate` has been recorded (polls the record; integration tests only). */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  close(): Promise<void>;
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, any> {
  if (contentType?.includes('application/json')) return raw ? JSON.parse(raw) : {};
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface FakeSlackOptions {
  /**
   * Turns on Socket Mode: `apps.connections.open`, called with an app-level (xapp-) token, answers
   * with the WebSocket URL this returns (see fake-socket-mode.ts).
   */
  socketModeUrl?: () => string;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const scripted = new Map<
    string,
    Array<{ failure: FakeFailure; when?: ((args: Record<string, any>) => boolean) | undefined }>
  >();
  const users = new Map<string, FakeUser>();
  const messages = new Map<
    string,
    Array<{ ts: string; text: string; user: string; thread_ts?: string; files?: unknown[] }>
  >();
  const windows: Array<{ methods: string[] | '*'; failure: FakeFailure; until: number }> = [];
  let clock = 1_764_200_000;
  let sequence = 0;
  const nextTs = () =>
    `${clock + Math.floor(++sequence / 1000)}.${String(sequence % 1_000_000).padStart(6, '0')}`;
  let viewSeq = 0;

  function answer(
    method: string,
    args: Record<string, any>,
    token: string | undefined,
  ): Record<string, unknown> {
    switch (method) {
      case 'apps.connections.open':
        if (!options.socketModeUrl) return { ok: false, error: 'unknown_method' };
        if (!token?.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
        return { ok: true, url: options.socketModeUrl() };
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme-it.slack.com/',
          team: 'Acme IT',
          user: 'helpdesk',
          team_id: ids.team,
          user_id: ids.bot,
          bot_id: ids.botId,
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        return {
          ok: true,
          channel: args.channel,
          ts,
          message: { type: 'message', text: args.text, ts, bot_id: ids.botId, thread_ts: args.thread_ts },
        };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
      case 'views.publish':
        return {
          ok: true,
          view: { id: `V0FAKE${++viewSeq}`, type: args.view?.type, callback_id: args.view?.callback_id },
        };
      case 'users.info': {
        const user = users.get(args.user);
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: ids.team,
            name: user.name,
            real_name: user.realName ?? user.name,
            is_bot: user.isBot ?? false,
            ...(user.locale && String(args.include_locale) === 'true' ? { locale: user.locale } : {}),
            profile: {
              display_name: user.displayName ?? '',
              real_name: user.realName ?? user.name,
              email: user.email,
            },
          },
        };
      }
      case 'conversations.history': {
        const list = (messages.get(args.channel) ?? []).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
        const latest = list.filter((m) => m.ts <= args.latest).sort((a, b) => b.ts.localeCompare(a.ts));
        return { ok: true, messages: latest.slice(0, Number(args.limit ?? 100)), has_more: false };
      }
      case 'conversations.replies': {
        const found = (messages.get(args.channel) ?? []).filter((m) => m.ts === args.ts);
        return { ok: true, messages: found, has_more: false };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const isResponseUrl = url.pathname.startsWith('/response/');
    const method = isResponseUrl ? 'response_url' : url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const call: RecordedCall = {
      method,
      args,
      token: auth?.replace(/^Bearer /, '') ?? args.token,
      at: Date.now(),
      path: url.pathname,
    };
    calls.push(call);

    const script = scripted.get(method) ?? [];
    const index = script.findIndex((entry) => !entry.when || entry.when(args));
    const window = windows.find(
      (w) => w.until > Date.now() && (w.methods === '*' ? !isResponseUrl : w.methods.includes(method)),
    );
    const failure = window?.failure ?? (index === -1 ? undefined : script.splice(index, 1)[0]?.failure);
    if (failure) {
      if ('drop' in failure) return void req.socket.destroy();
      if ('error' in failure) return send(res, 200, { ok: false, error: failure.error });
      if (failure.status === 429) {
        const headers: Record<string, string> =
          failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
        return send(res, 429, { ok: false, error: 'ratelimited' }, headers);
      }
      return send(res, failure.status, { ok: false, error: 'internal_error' });
    }
    if (isResponseUrl) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    call.response = answer(method, args, call.token);
    send(res, 200, call.response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (name = 'r1') => `${base}/response/${name}`,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    failNext(method, failure, times = 1, when) {
      const list = scripted.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push({ failure, when });
      scripted.set(method, list);
    },
    failFor(methods, failure, durationMs) {
      const until = Date.now() + durationMs;
      windows.push({ methods, failure, until });
      return { endsAt: until };
    },
    addUser: (user) => void users.set(user.id, user),
    addMessage(channel, message) {
      const list = messages.get(channel) ?? [];
      list.push(message);
      messages.set(channel, list);
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `fake Slack: no matching call within ${timeoutMs} ms; got ${calls.map((c) => c.method).join(', ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clock = 0;
    },
  };
}

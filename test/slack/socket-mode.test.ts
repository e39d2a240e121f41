/**
 * Socket Mode end to end: the real @slack/socket-mode client, mounted by mountSlack with only an
 * app-level token (no signing secret, no HTTP route), talking to a fake Slack over a local
 * WebSocket, on the whole helpdesk (workers, real Postgres and Redis).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mountSlack, type SlackMount } from '../../src/bots/slack/app.ts';
import { createSlackNotifier } from '../../src/bots/slack/notifier.ts';
import { createDeferredAckReceiver } from '../../src/bots/slack/receiver.ts';
import { createSocketMode } from '../../src/bots/slack/socket-mode.ts';
import type { Logger } from '../../src/core/logger.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { clickOn, messageEvent, slashCommand } from './builders.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from './fake-slack.ts';
import { type EnvelopeInput, type FakeSocketMode, startFakeSocketMode } from './fake-socket-mode.ts';
import { people } from './support.ts';

const TRIAGE = 'C0TRIAGE';
const APP_TOKEN = 'xapp-1-A0HELPDSK-1234-test';
const BOT_TOKEN = 'xoxb-test-token';

interface LogEntry {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** Keeps info and above (debug would hold every payload the client logs). */
function recordingLogger(entries: LogEntry[], bindings: Record<string, unknown> = {}): Logger {
  const write =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      if (level === 'debug') return;
      entries.push(
        typeof obj === 'string'
          ? { level, msg: obj, fields: bindings }
          : { level, msg: msg ?? '', fields: { ...bindings, ...obj } },
      );
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => recordingLogger(entries, { ...bindings, ...more }),
  };
}

let socket: FakeSocketMode;
let slack: FakeSlack;
let app: TestApp;
let mount: SlackMount;
const logs: LogEntry[] = [];

const db = () => app.database.db;
const ticketCount = async () =>
  Number(
    (
      await db()
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const inboxHas = async (eventId: string) =>
  (await db().selectFrom('inbound_events').select('id').where('event_id', '=', eventId).execute()).length;
const triageCards = () =>
  slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === TRIAGE && !c.args.thread_ts && c.response);

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A message event as Slack wraps it for Socket Mode. */
function dm(user: string, text: string, extra: Partial<EnvelopeInput> = {}) {
  const body = messageEvent({ user, channel: `D${user.slice(1)}`, text });
  return { body, envelope: { type: 'events_api' as const, payload: body, ...extra } };
}

/** A `/helpdesk` invocation: over the socket the form fields arrive as a JSON object. */
function command(user: string, channel: string, text: string, name: string) {
  const request = slashCommand({ user, channel, text, responseUrl: slack.responseUrl(name) });
  return { ...request, payload: Object.fromEntries(new URLSearchParams(request.form)) };
}

function newRequester(id: string, name: string) {
  slack.addUser({ id, name, email: `${name}@acme.test` });
  return id;
}

beforeAll(async () => {
  socket = await startFakeSocketMode();
  slack = await startFakeSlack({ socketModeUrl: () => socket.issueUrl() });
  for (const person of Object.values(people)) slack.addUser(person);
  const notifier = createSlackNotifier({
    config: { botToken: BOT_TOKEN, apiUrl: slack.apiUrl },
    log: recordingLogger(logs),
  });
  app = await startTestApp({ notifiers: [notifier], env: { HELPDESK_ADMINS: people.dana.email } });
  if (!app.http) throw new Error('the test app has no HTTP server');
  mount = await mountSlack(app.http, {
    config: { botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: slack.apiUrl },
    accept: app.accept,
    log: recordingLogger(logs),
    notifier,
    // A dead socket is noticed after clientPingTimeout (5 s by default); 2 s still leaves room for a slow pong.
    socketMode: { clientPingTimeout: 2_000 },
  });
  await socket.waitForConnections(1);

  const setup = command(people.dana.id, TRIAGE, 'config triage-channel here', 'setup');
  await socket.waitForAck(await socket.deliver({ type: 'slash_commands', payload: setup.payload }));
  await app.idle(20_000);
});

afterAll(async () => {
  // The client first, so it does not try to reconnect to a server that is going away.
  await mount?.close();
  await app?.close();
  await socket?.close();
  await slack?.close();
});

describe('Slack Socket Mode (SLACK_APP_TOKEN)', () => {
  it('opens the socket with the app-level token and no HTTP route', async () => {
    const opens = slack.callsTo('apps.connections.open');
    expect(opens.length).toBeGreaterThanOrEqual(1);
    expect(opens.every((call) => call.token === APP_TOKEN)).toBe(true);
    expect(logs.some((entry) => entry.msg === 'slack socket mode connected')).toBe(true);
    const response = await app.http?.inject({ method: 'POST', url: '/slack/events', payload: {} });
    expect(response?.statusCode).toBe(404);
  });

  it('acknowledges a /helpdesk command envelope and answers through its response_url', async () => {
    const help = command(people.alice.id, 'D0ALICE', 'help', 'help');
    const envelopeId = await socket.deliver({ type: 'slash_commands', payload: help.payload });
    const ack = await socket.waitForAck(envelopeId);
    expect(ack.payload).toEqual({});
    expect(await inboxHas(`command-${help.triggerId}`)).toBe(1);
    const answer = await slack.waitFor(
      (call) => call.method === 'response_url' && /Commands:/.test(call.args.text ?? ''),
    );
    expect(answer.args.response_type).toBe('ephemeral');
  });

  it('acknowledges an envelope whose event is null, records nothing and logs why', async () => {
    const { body, envelope } = dm(people.alice.id, 'never read');
    const envelopeId = await socket.deliver({ ...envelope, payload: { ...body, event: null } });
    await socket.waitForAck(envelopeId);
    expect(await inboxHas(body.event_id)).toBe(0);
    expect(logs.some((entry) => entry.msg === 'slack socket event refused: malformed envelope')).toBe(true);
  });

  describe('a DM over the socket', () => {
    let card: RecordedCall;

    it('files one ticket; the triage card and the acknowledgement go out through the Web API', async () => {
      const before = await ticketCount();
      const cards = triageCards().length;
      const user = newRequester('U0ERIN', 'erin');
      const { body, envelope } = dm(user, "My laptop won't connect to the VPN since this morning");
      // What the inbox held at the moment each ack arrived.
      const atAck = new Map<string, Promise<number>>();
      socket.onAck = (ack) => atAck.set(ack.envelopeId, inboxHas(body.event_id));
      try {
        const envelopeId = await socket.deliver(envelope);
        await socket.waitForAck(envelopeId);
        expect(await atAck.get(envelopeId)).toBe(1);
      } finally {
        socket.onAck = undefined;
      }
      await app.idle(20_000);

      expect(await ticketCount()).toBe(before + 1);
      expect(triageCards()).toHaveLength(cards + 1);
      card = triageCards().at(-1) as RecordedCall;
      expect(card.token).toBe(BOT_TOKEN);
      const reply = slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'D0ERIN');
      expect(reply?.token).toBe(BOT_TOKEN);
      expect(reply?.args.text).toMatch(/#\d+/);
    });

    it('takes a click on the card as an interactive envelope and updates the card', async () => {
      const click = clickOn(card, 'ticket.claim', {
        user: people.dana.id,
        messageTs: card.response?.ts,
        responseUrl: slack.responseUrl('claim'),
      });
      await socket.waitForAck(await socket.deliver({ type: 'interactive', payload: click }));
      await app.idle(20_000);
      const update = slack.callsTo('chat.update').filter((c) => c.args.ts === card.response?.ts);
      expect(JSON.stringify(update.at(-1)?.args.blocks)).toContain('Dana (IT)');
    });
  });

  it('does not acknowledge an envelope until its event is in the inbox', async () => {
    await app.idle(20_000);
    const user = newRequester('U0FRAN', 'fran');
    const { body, envelope } = dm(user, 'Outlook keeps asking for my password');
    // Hold the inbox: the insert blocks on this lock until we let it through.
    const blocker = await app.database.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table inbound_events in share mode');
      const envelopeId = await socket.deliver(envelope);
      await until('the inbox insert to wait on the lock', async () => {
        const waiting = await app.database.pool.query(
          `select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
           where not l.granted and l.relation = 'inbound_events'::regclass
             and a.query ilike 'insert into "inbound_events"%'`,
        );
        return (waiting.rowCount ?? 0) > 0;
      });
      expect(socket.ackFor(envelopeId)).toBeUndefined();
      await blocker.query('commit');
      await socket.waitForAck(envelopeId);
      expect(await inboxHas(body.event_id)).toBe(1);
    } finally {
      await blocker.query('rollback').catch(() => {});
      blocker.release();
    }
    await app.idle(20_000);
  });

  it('when Slack redelivers an event three times, every envelope is acked and one ticket is filed', async () => {
    const before = await ticketCount();
    const cards = triageCards().length;
    const user = newRequester('U0GINA', 'gina');
    const { body } = dm(user, 'The printer on floor 3 is jammed');
    // Slack resends what it thinks went unacknowledged, each time in a new envelope.
    const envelopeIds = await Promise.all(
      [0, 1, 2].map((attempt) =>
        socket.deliver({
          type: 'events_api',
          payload: body,
          retryAttempt: attempt,
          retryReason: attempt ? 'timeout' : '',
        }),
      ),
    );
    const acks = await Promise.all(envelopeIds.map((id) => socket.waitForAck(id)));
    expect(acks.map((ack) => ack.envelopeId)).toEqual(envelopeIds);
    expect(await inboxHas(body.event_id)).toBe(1);
    await app.idle(20_000);
    expect(await ticketCount()).toBe(before + 1);
    expect(triageCards()).toHaveLength(cards + 1);
  });

  it('leaves an envelope it could not record unacknowledged, and files Slack’s redelivery once', async () => {
    const before = await ticketCount();
    const user = newRequester('U0HUGO', 'hugo');
    const { body } = dm(user, 'I cannot open the shared drive');
    // The database refuses this one insert, as a full disk or a failover would.
    await app.database.pool.query(`
      create function refuse_insert() returns trigger language plpgsql as $$
      begin raise exception 'inbox unavailable'; end $$;
      create trigger refuse_insert before insert on inbound_events
        for each row when (new.event_id = '${body.event_id}') execute function refuse_insert();
    `);
    const refused = await socket.deliver({ type: 'events_api', payload: body });
    try {
      await until('the adapter to give up on the envelope', () =>
        logs.some((entry) => entry.level === 'error' && entry.fields.envelopeId === refused),
      );
    } finally {
      await app.database.pool.query(
        'drop trigger refuse_insert on inbound_events; drop function refuse_insert()',
      );
    }
    expect(socket.ackFor(refused)).toBeUndefined();
    expect(await inboxHas(body.event_id)).toBe(0);

    const redelivered = await socket.deliver({
      type: 'events_api',
      payload: body,
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    await socket.waitForAck(redelivered);
    expect(socket.ackFor(refused)).toBeUndefined();
    await app.idle(20_000);
    expect(await ticketCount()).toBe(before + 1);
  });

  it('closing while the socket is still opening leaves no connection behind', async () => {
    const opened = socket.connections();
    const open = socket.openConnections();
    const early = await mountSlack(app.http as NonNullable<TestApp['http']>, {
      config: { botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: slack.apiUrl },
      accept: app.accept,
      log: recordingLogger(logs),
    });
    // apps.connections.open has not answered yet; the client still connects once it does.
    await early.close();
    await socket.waitForConnections(opened + 1);
    await until('the late socket to be closed', () => socket.openConnections() === open);
  });

  it('closing before Slack says hello is a quiet shutdown, not a failure', async () => {
    const opened = socket.connections();
    const open = socket.openConnections();
    const errors = logs.filter((entry) => entry.level === 'error').length;
    socket.greet = false;
    try {
      const early = await mountSlack(app.http as NonNullable<TestApp['http']>, {
        config: { botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: slack.apiUrl },
        accept: app.accept,
        log: recordingLogger(logs),
      });
      await socket.waitForConnections(opened + 1);
      await early.close();
    } finally {
      socket.greet = true;
    }
    await until('the ungreeted socket to be closed', () => socket.openConnections() === open);
    expect(logs.filter((entry) => entry.level === 'error')).toHaveLength(errors);
  });

  it('reconnects when Slack recycles the connection, and keeps filing', async () => {
    const before = await ticketCount();
    const opened = socket.connections();
    socket.requestReconnect();
    await socket.waitForConnections(opened + 1);
    expect(slack.callsTo('apps.connections.open').length).toBeGreaterThanOrEqual(opened + 1);

    const user = newRequester('U0IVAN', 'ivan');
    const { envelope } = dm(user, 'My monitor flickers since the update');
    await socket.waitForAck(await socket.deliver(envelope));
    await app.idle(20_000);
    expect(await ticketCount()).toBe(before + 1);
  });
});

describe('Socket Mode start-up when Slack fails', () => {
  const failing = () =>
    slack.callsTo('apps.connections.open').filter((call) => call.token === APP_TOKEN).length;
  /** A Socket Mode client alone (no Bolt, no events), with its own log. */
  function bareSocketMode(entries: LogEntry[], retryDelayMs: { first: number; max: number }) {
    return createSocketMode({
      receiver: createDeferredAckReceiver(),
      appToken: APP_TOKEN,
      apiUrl: slack.apiUrl,
      log: recordingLogger(entries),
      tuning: { retryDelayMs },
    });
  }

  it('retries a 500, a cut connection, a transient Slack error and a socket cut before hello, then files what arrives', async () => {
    const entries: LogEntry[] = [];
    const before = await ticketCount();
    slack.failNext('apps.connections.open', { status: 500 });
    slack.failNext('apps.connections.open', { drop: true });
    slack.failNext('apps.connections.open', { error: 'internal_error' });
    socket.dropNext = 1;
    const late = await mountSlack(app.http as NonNullable<TestApp['http']>, {
      config: { botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: slack.apiUrl },
      accept: app.accept,
      log: recordingLogger(entries),
      socketMode: { retryDelayMs: { first: 20, max: 80 } },
    });
    try {
      await until('the fifth attempt to connect', () =>
        entries.some((entry) => entry.msg === 'slack socket mode connected'),
      );
      const retries = entries.filter((entry) => entry.level === 'warn');
      expect(retries.map((entry) => [entry.msg, entry.fields.attempt])).toEqual(
        [1, 2, 3, 4].map((attempt) => ['slack socket mode could not connect; retrying', attempt]),
      );
      expect(retries.map((entry) => entry.fields.error)).toEqual([
        'HTTP 500',
        expect.any(String),
        'internal_error',
        'the socket closed before Slack said hello',
      ]);
      // Each failure is logged once, by the retry loop; none of the SDKs' own error lines get through.
      expect(entries.filter((entry) => entry.level === 'error')).toEqual([]);

      const user = newRequester('U0JULE', 'jule');
      const { body, envelope } = dm(user, 'The scanner on floor 2 does not send e-mails');
      await socket.waitForAck(await socket.deliver(envelope));
      expect(await inboxHas(body.event_id)).toBe(1);
      await app.idle(20_000);
      expect(await ticketCount()).toBe(before + 1);
    } finally {
      socket.dropNext = 0;
      await late.close();
    }
  });

  it("waits out Slack's Retry-After on a rate-limited connect, then its own backoff", async () => {
    const entries: LogEntry[] = [];
    slack.failNext('apps.connections.open', { status: 429, retryAfter: 1 });
    const client = bareSocketMode(entries, { first: 20, max: 40 });
    try {
      const opens = () => slack.callsTo('apps.connections.open').filter((call) => call.token === APP_TOKEN);
      const before = opens().length;
      expect(await client.start()).toBe('connected');
      const [refused, accepted] = opens().slice(before);
      expect(accepted).toBeDefined();
      // One second from Slack, then 20–40 ms of backoff.
      expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(1_000);
      const warned = entries.filter((entry) => entry.level === 'warn');
      expect(warned.map((entry) => [entry.fields.error, entry.fields.retryAfterMs])).toEqual([
        ['ratelimited', 1_000],
      ]);
    } finally {
      await client.stop();
    }
  });

  it.each(['invalid_auth', 'not_allowed_token_type', 'account_inactive'])(
    'when Slack answers %s it logs one error and does not retry',
    async (error) => {
      const entries: LogEntry[] = [];
      const calls = failing();
      slack.failNext('apps.connections.open', { error });
      const client = bareSocketMode(entries, { first: 1, max: 1 });
      try {
        expect(await client.start()).toBe('failed');
      } finally {
        await client.stop();
      }
      expect(failing()).toBe(calls + 1);
      expect(entries.map((entry) => [entry.level, entry.fields.error])).toEqual([['error', error]]);
    },
  );

  it('close() during the wait between attempts ends it: no timer is left and start() settles', async () => {
    const entries: LogEntry[] = [];
    const calls = failing();
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const clearTimer = vi.spyOn(globalThis, 'clearTimeout');
    try {
      slack.failNext('apps.connections.open', { status: 503 });
      // Ten minutes: long enough to tell this wait from every other timer in the process.
      const client = bareSocketMode(entries, { first: 600_000, max: 600_000 });
      const started = client.start();
      await until('the first failure', () => entries.some((entry) => entry.level === 'warn'));
      const wait = setTimer.mock.calls.findIndex(([, ms]) => (ms ?? 0) >= 480_000);
      expect(wait).toBeGreaterThanOrEqual(0);
      const timer = setTimer.mock.results[wait]?.value;

      await client.stop();
      expect(clearTimer).toHaveBeenCalledWith(timer);
      expect(await started).toBe('stopped');
    } finally {
      setTimer.mockRestore();
      clearTimer.mockRestore();
    }
    expect(failing()).toBe(calls + 1);
    expect(entries.filter((entry) => entry.level !== 'info').map((entry) => entry.fields.attempt)).toEqual([
      1,
    ]);
  });
});

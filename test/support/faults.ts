/**
 * The fault suite (issue 13): real `helpdesk serve` and `helpdesk worker` processes on a Postgres
 * and a Redis of the suite's own (spare ports, never the shared ones), the real Slack client
 * against the fake Slack Web API, and one scenario per fault of the issue. Each scenario streams
 * signed Slack requests as Slack would (retrying what was not answered 200), injects its fault, waits
 * for everything to settle and counts: events sent, acknowledged, processed, lost, doubled;
 * deliveries made, doubled, dead-lettered; whether the processes still run.
 */
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { SETTING_KEYS } from '../../src/core/timers/settings.ts';
import { messageEvent, nextTs, slashCommand } from '../slack/builders.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../slack/fake-slack.ts';
import { ids } from '../slack/fixtures/index.ts';
import { SIGNING_SECRET, slackSignature } from '../slack/support.ts';
import { eventually, killRunning, type RunningCli, readyz, runCli } from './cli.ts';
import {
  type PostgresServer,
  prepareStack,
  type RedisServer,
  type Serve,
  type Stack,
  startPostgresServer,
  startRedisServer,
  startServe,
  startWorker,
  stopGracefully,
} from './processes.ts';

export interface FaultFigures {
  scenario: string;
  events_sent: number;
  /** Answered 200 by serve, Slack's retries included. */
  acknowledged: number;
  /** Recorded and processed (`done`) in the inbox. */
  processed: number;
  /** Acknowledged but never answered. */
  lost: number;
  /** Answered more than once. */
  doubled: number;
  /** Messages the platform accepted (answers, triage cards, command answers). */
  deliveries: number;
  /** The same message accepted twice (one conversation, one text; one card per ticket). */
  deliveries_doubled: number;
  /**
   * Of those, posted again after the platform's answer to the first was lost (the accepted
   * exception): never in these scenarios, as the fake always answers what it accepted.
   */
  repeated_after_lost_response: number;
  /** Deliveries and inbound events that failed for good during the scenario. */
  dead_lettered: number;
  processes_running: boolean;
  seconds: number;
  [extra: string]: unknown;
}

export interface FaultSuite {
  slack: FakeSlack;
  postgres: PostgresServer;
  redis: RedisServer;
  stack: Stack;
  serve: Serve;
  worker: RunningCli;
  log: (line: string) => void;
  close(): Promise<void>;
}

export const ADMIN = 'U0FADMIN';
const TRIAGE = ids.triage;
/** Slack retries an unanswered event three times (at once, after 1 and 5 minutes); compressed here. */
const SLACK_RETRY_DELAYS_MS = [1_000, 5_000, 15_000];
const SETTLE_MS = 120_000;

/** Starts Postgres, Redis, the fake Slack, and one `serve` and one `worker` for all scenarios. */
export async function startFaultSuite(log: (line: string) => void = () => {}): Promise<FaultSuite> {
  const [postgres, redis, slack] = await Promise.all([
    startPostgresServer(),
    startRedisServer(),
    startFakeSlack(),
  ]);
  slack.addUser({ id: ADMIN, name: 'ada', email: 'ada@acme.test' });
  const stack = await prepareStack({
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    HELPDESK_ADMINS: `slack:${ADMIN}`,
  });
  await setSetting(
    stack.database.db,
    triageChannelKey('slack'),
    { platform: 'slack', tenant: ids.team, channel: TRIAGE },
    null,
  );
  const started = Date.now();
  const [serve, worker] = await Promise.all([startServe(stack), startWorker(stack)]);
  log(
    `postgres :${postgres.port}, redis :${redis.port}; serve and worker ready in ${Date.now() - started} ms`,
  );
  return {
    slack,
    postgres,
    redis,
    stack,
    serve,
    worker,
    log,
    async close() {
      for (const cli of [serve, worker]) if (cli.child.exitCode === null) await stopGracefully(cli);
      killRunning();
      await stack.close().catch(() => {});
      await redis.kill();
      await postgres.remove();
      await slack.close();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts a signed request as Slack does: a 3 s timeout, then retries; the answer and its latency. */
async function postLikeSlack(
  suite: FaultSuite,
  body: { json?: unknown; form?: string },
  retries = SLACK_RETRY_DELAYS_MS,
): Promise<{ status: number; ms: number; text: string; attempts: number }> {
  const raw = body.form ?? JSON.stringify(body.json);
  const contentType = body.form ? 'application/x-www-form-urlencoded' : 'application/json';
  let last = { status: 0, ms: 0, text: '', attempts: 0 };
  for (let attempt = 0; attempt <= retries.length; attempt++) {
    if (attempt > 0) await sleep(retries[attempt - 1] as number);
    const started = performance.now();
    try {
      const response = await fetch(`${suite.serve.url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          ...slackSignature(raw),
          ...(attempt > 0 && !body.form
            ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': 'http_error' }
            : {}),
        },
        body: raw,
        signal: AbortSignal.timeout(3_000),
      });
      const text = await response.text();
      last = { status: response.status, ms: performance.now() - started, text, attempts: attempt + 1 };
    } catch {
      last = { status: 0, ms: performance.now() - started, text: '', attempts: attempt + 1 };
    }
    // Slack retries events on a 5xx or a timeout, never on a 4xx; commands are never retried.
    if (last.status === 200 || (last.status >= 400 && last.status < 500) || body.form) return last;
  }
  return last;
}

const ok = (call: RecordedCall) => call.method === 'response_url' || call.response?.ok === true;
const CARD = /^#(\d+) /;

/** What one scenario sends and how it is counted. */
class Scenario {
  readonly started = Date.now();
  readonly channels = new Set<string>();
  readonly eventIds: string[] = [];
  readonly responseNames = new Set<string>();
  acknowledged = 0;
  /** Requests Slack had to send again (a 5xx or no answer within 3 s the first time). */
  retriedBySlack = 0;
  maxAckMs = 0;
  private deadBefore = 0;
  private n = 0;

  constructor(
    readonly suite: FaultSuite,
    readonly tag: string,
  ) {}

  private logsFrom = { serve: 0, worker: 0 };

  async begin(): Promise<this> {
    this.deadBefore = await deadLetters(this.suite);
    this.logsFrom = { serve: this.suite.serve.stderr().length, worker: this.suite.worker.stderr().length };
    return this;
  }

  /** Error-level log lines the processes wrote during the scenario. */
  errorLogs(): number {
    const lines =
      this.suite.serve.stderr().slice(this.logsFrom.serve) +
      this.suite.worker.stderr().slice(this.logsFrom.worker);
    return (lines.match(/"level":50/g) ?? []).length;
  }

  /** A DM from a new employee (their own DM channel), as Slack sends it. */
  dm(text: string, extra: Record<string, unknown> = {}) {
    const n = ++this.n;
    const user = `U0${this.tag}${String(n).padStart(3, '0')}`;
    const channel = `D0${this.tag}${String(n).padStart(3, '0')}`;
    this.suite.slack.addUser({ id: user, name: `${this.tag.toLowerCase()}${n}`, email: `${user}@acme.test` });
    const body = { ...messageEvent({ user, channel, text }), ...extra };
    return { body, channel, eventId: String(body.event_id) };
  }

  async sendDm(text: string): Promise<number> {
    const { body, channel, eventId } = this.dm(text);
    this.channels.add(channel);
    this.eventIds.push(eventId);
    const answer = await postLikeSlack(this.suite, { json: body });
    if (answer.attempts > 1) this.retriedBySlack++;
    this.maxAckMs = Math.max(this.maxAckMs, answer.ms);
    if (answer.status === 200) this.acknowledged++;
    return answer.status;
  }

  /**
   * A `/helpdesk` command, in a channel of its own unless `channel` is given. Its answer comes to the
   * response_url named for it, or (a ticket filed from a DM) as a post in its channel.
   */
  async sendCommand(user: string, text: string, channel = `C0${this.tag}C${++this.n}`) {
    const name = `${this.tag}-${nextTs()}`;
    const request = slashCommand({ user, channel, text, responseUrl: this.suite.slack.responseUrl(name) });
    this.responseNames.add(name);
    this.commands.set(name, { channel, at: Date.now() });
    this.eventIds.push(`command-${request.triggerId}`);
    const answer = await postLikeSlack(this.suite, { form: request.form });
    this.maxAckMs = Math.max(this.maxAckMs, answer.ms);
    if (answer.status === 200) this.acknowledged++;
    // Answered in the acknowledgement itself (a command typed again: "You sent this a moment ago").
    if (answer.status === 200 && answer.text) this.answeredInAck.add(name);
    return { ...answer, name };
  }

  readonly answeredInAck = new Set<string>();
  private readonly commands = new Map<string, { channel: string; at: number }>();

  answersTo(name: string): RecordedCall[] {
    const command = this.commands.get(name);
    return this.suite.slack.calls.filter((c) =>
      c.method === 'response_url'
        ? c.path?.endsWith(`/${name}`)
        : (c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral') &&
          ok(c) &&
          c.args.channel === command?.channel &&
          c.at >= (command?.at ?? 0),
    );
  }

  private unansweredCommands(): string[] {
    return [...this.responseNames].filter(
      (name) => !this.answeredInAck.has(name) && this.answersTo(name).length === 0,
    );
  }

  /** What is still missing, for the log when a scenario does not settle. */
  async missing(): Promise<string> {
    const answered = this.answeredChannels();
    const rows = await this.suite.stack.database.db
      .selectFrom('inbound_events')
      .select(['id', 'event_id', 'status', 'attempts', 'error'])
      .where('event_id', 'in', this.eventIds.length ? this.eventIds : [''])
      .where('status', '!=', 'done')
      .execute()
      .catch(() => []);
    const outbox = await this.suite.stack.database.db
      .selectFrom('outbox')
      .select(['id', 'status', 'attempts', 'last_error', 'lane'])
      .where('status', '=', 'pending')
      .limit(20)
      .execute()
      .catch(() => []);
    return JSON.stringify({
      unanswered_channels: [...this.channels].filter((c) => !answered.has(c)),
      unanswered_commands: this.unansweredCommands(),
      unfinished_events: rows,
      pending_outbox: outbox,
    });
  }

  private mine(call: RecordedCall): boolean {
    if (call.at < this.started) return false;
    if (call.method === 'response_url')
      return [...this.responseNames].some((name) => call.path?.endsWith(`/${name}`));
    if (call.method === 'chat.postEphemeral' || call.method === 'chat.postMessage')
      if ([...this.commands.values()].some((command) => command.channel === call.args.channel)) return true;
    if (call.method !== 'chat.postMessage') return false;
    if (this.channels.has(String(call.args.channel))) return true;
    return call.args.channel === TRIAGE && !call.args.thread_ts && CARD.test(String(call.args.text));
  }

  /** Every DM and command answered, and nothing pending in the inbox or the outbox. */
  async settle(timeoutMs = SETTLE_MS): Promise<boolean> {
    const settled = await eventually(async () => {
      const answered = this.answeredChannels();
      if ([...this.channels].some((c) => !answered.has(c))) return false;
      if (this.unansweredCommands().length) return false;
      return (await pendingRows(this.suite)) === 0;
    }, timeoutMs);
    if (!settled) this.suite.log(`${this.tag} did not settle: ${await this.missing()}`);
    // Whatever might still come twice has its chance to.
    await sleep(2_000);
    return settled;
  }

  private answeredChannels(): Set<string> {
    return new Set(
      this.suite.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.at >= this.started && ok(c) && this.channels.has(String(c.args.channel)))
        .map((c) => String(c.args.channel)),
    );
  }

  async figures(extra: Record<string, unknown> = {}): Promise<FaultFigures> {
    const delivered = this.suite.slack.calls.filter((c) => this.mine(c) && ok(c));
    const key = (c: RecordedCall) =>
      c.args.channel === TRIAGE
        ? `card ${CARD.exec(String(c.args.text))?.[1]}`
        : `${c.method} ${c.path} ${c.args.channel ?? ''} ${c.args.text}`;
    const counts = new Map<string, number>();
    for (const call of delivered) counts.set(key(call), (counts.get(key(call)) ?? 0) + 1);
    const answered = this.answeredChannels();
    const unanswered =
      [...this.channels].filter((c) => !answered.has(c)).length + this.unansweredCommands().length;
    const db = this.suite.stack.database.db;
    const processed = this.eventIds.length
      ? Number(
          (
            await db
              .selectFrom('inbound_events')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('event_id', 'in', this.eventIds)
              .where('status', '=', 'done')
              .executeTakeFirstOrThrow()
          ).n,
        )
      : 0;
    const doubledDeliveries = [...counts.values()].filter((n) => n > 1).length;
    return {
      scenario: this.tag,
      events_sent: this.eventIds.length,
      acknowledged: this.acknowledged,
      processed,
      /** Commands typed again and answered as the first one (not recorded as events of their own). */
      recognised_repeats: this.answeredInAck.size,
      lost: Math.min(unanswered, this.acknowledged),
      doubled: [...counts.entries()].filter(([k, n]) => n > 1 && !k.startsWith('card')).length,
      deliveries: delivered.length,
      deliveries_doubled: doubledDeliveries,
      repeated_after_lost_response: 0,
      dead_lettered: (await deadLetters(this.suite)) - this.deadBefore,
      processes_running:
        this.suite.serve.child.exitCode === null && this.suite.worker.child.exitCode === null,
      seconds: Math.round((Date.now() - this.started) / 100) / 10,
      retried_by_slack: this.retriedBySlack,
      error_logs: this.errorLogs(),
      max_ack_ms: Math.round(this.maxAckMs),
      ...extra,
    };
  }
}

async function count(suite: FaultSuite, table: 'inbound_events' | 'outbox', statuses: string[]) {
  try {
    const row = await suite.stack.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', 'in', statuses as never[])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } catch {
    return Number.NaN;
  }
}

async function pendingRows(suite: FaultSuite): Promise<number> {
  return (await count(suite, 'inbound_events', ['pending'])) + (await count(suite, 'outbox', ['pending']));
}

async function deadLetters(suite: FaultSuite): Promise<number> {
  return (
    (await count(suite, 'inbound_events', ['failed'])) +
    (await count(suite, 'outbox', ['failed', 'undeliverable']))
  );
}

/** Sends `n` DMs, `perSecond` at a time, each in parallel with the others; calls `at(i)` first. */
async function stream(
  scenario: Scenario,
  n: number,
  perSecond: number,
  text: (i: number) => string,
  at: (i: number) => Promise<void> | void = () => {},
): Promise<number[]> {
  const sends: Array<Promise<number>> = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const wait = start + (i * 1000) / perSecond - performance.now();
    if (wait > 1) await sleep(wait);
    await at(i);
    sends.push(scenario.sendDm(text(i)));
  }
  return Promise.all(sends);
}

const request = (i: number) => `the printer on floor ${(i % 9) + 1} jams on every page (${i})`;

function cli(suite: FaultSuite, args: string[]) {
  return runCli(args, { env: suite.stack.env({ LOG_LEVEL: 'silent' }), timeout: 180_000 });
}

export interface FaultScenario {
  name: string;
  /** The item. */
  item: number;
  what: string;
  run(suite: FaultSuite): Promise<FaultFigures>;
}

export const SCENARIOS: FaultScenario[] = [
  {
    name: 'postgres-restart',
    item: 1,
    what: 'Postgres is stopped (fast: every session ends with 57P01) a third into a stream of 30 DMs and started again 3 s later',
    async run(suite) {
      const s = await new Scenario(suite, 'PG').begin();
      let back: Promise<void> = Promise.resolve();
      await stream(s, 30, 5, request, (i) => {
        if (i !== 10) return;
        back = (async () => {
          await suite.postgres.stop('fast');
          await sleep(3_000);
          await suite.postgres.start();
        })();
      });
      await back;
      const settled = await s.settle();
      return s.figures({ settled });
    },
  },
  {
    name: 'redis-restart-empty',
    item: 2,
    what: 'Redis is killed (SIGKILL, nothing on disk) a third into a stream of 30 DMs and started again, empty, 1 s later',
    async run(suite) {
      const s = await new Scenario(suite, 'RR').begin();
      let back: Promise<void> = Promise.resolve();
      await stream(s, 30, 5, request, (i) => {
        if (i !== 10) return;
        back = (async () => {
          await suite.redis.kill();
          await sleep(1_000);
          await suite.redis.start();
        })();
      });
      await back;
      const settled = await s.settle();
      return s.figures({
        settled,
        recovered_after_queue_loss: suite.worker.stderr().includes('the queue lost its data'),
      });
    },
  },
  {
    name: 'redis-outage',
    item: 3,
    what: 'Redis is away for 8 s: 10 DMs and a `/helpdesk new` typed twice (the retype 1 s later, a new trigger_id) meanwhile; /readyz is asked',
    async run(suite) {
      const s = await new Scenario(suite, 'RO').begin();
      await suite.redis.kill();
      const asked = performance.now();
      const ready = await readyz(suite.serve.port);
      const readyzMs = Math.round(performance.now() - asked);
      const words = `new The VPN drops every five minutes (${Date.now()})`;
      const first = s.sendCommand(ADMIN, words, 'D0FADMIN');
      await sleep(1_000);
      const again = s.sendCommand(ADMIN, words, 'D0FADMIN');
      await stream(s, 10, 2, request);
      const commands = await Promise.all([first, again]);
      await sleep(Math.max(0, 8_000 - (performance.now() - asked)));
      await suite.redis.start();
      const settled = await s.settle();
      const tickets = await suite.stack.database.db
        .selectFrom('tickets')
        .select('id')
        .where('description', 'like', `%${words.slice(4)}%`)
        .execute();
      const figures = await s.figures({
        settled,
        readyz_status: ready.status,
        readyz_ms: readyzMs,
        command_answered_ms: commands.map((c) => Math.round(c.ms)),
        tickets_from_retyped_command: tickets.length,
      });
      // Two tickets from one request is a double too.
      figures.doubled += Math.max(0, tickets.length - 1);
      return figures;
    },
  },
  {
    name: 'rate-limit-storm',
    item: 4,
    what: 'Slack answers every chat.postMessage with 429 (Retry-After: 2) for 40 s while 15 DMs arrive',
    async run(suite) {
      const s = await new Scenario(suite, 'RL').begin();
      suite.slack.failFor(['chat.postMessage'], { status: 429, retryAfter: 2 }, 40_000);
      await stream(s, 15, 3, request);
      const settled = await s.settle(180_000);
      // A retry of the same message sooner than the Retry-After it was given.
      const posts = suite.slack.callsTo('chat.postMessage').filter((c) => c.at >= s.started);
      const byMessage = new Map<string, RecordedCall[]>();
      for (const call of posts) {
        const k = `${call.args.channel} ${call.args.text}`;
        byMessage.set(k, [...(byMessage.get(k) ?? []), call]);
      }
      let early = 0;
      for (const calls of byMessage.values())
        for (let i = 1; i < calls.length; i++)
          if (!calls[i - 1]?.response && (calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0) < 2_000) early++;
      return s.figures({
        settled,
        rate_limited_answers: posts.filter((c) => !c.response).length,
        retries_sooner_than_retry_after: early,
      });
    },
  },
  {
    name: 'invalid-auth-window',
    item: 5,
    what: 'Slack refuses the token (invalid_auth) on every Web API call for 20 s while 10 DMs arrive; then `helpdesk deadletters` lists and `deadletters retry all` re-sends',
    async run(suite) {
      const s = await new Scenario(suite, 'IA').begin();
      const { endsAt } = suite.slack.failFor('*', { error: 'invalid_auth' }, 20_000);
      await stream(s, 10, 2, request);
      await eventually(async () => (await pendingRows(suite)) === 0 || Date.now() > endsAt, 25_000);
      const pausedRows = await count(suite, 'outbox', ['pending']);
      await sleep(Math.max(0, endsAt - Date.now()));
      const listed = cli(suite, ['deadletters', '--json']);
      const report = JSON.parse(listed.stdout || '{"deadletters":[],"paused":[]}') as {
        deadletters: unknown[];
        paused: Array<{ waiting: number }>;
      };
      const retried = cli(suite, ['deadletters', 'retry', 'all']);
      const settled = await s.settle();
      return s.figures({
        settled,
        waiting_while_refused: pausedRows,
        deadletters_listed: report.deadletters.length,
        paused_workspaces_listed: report.paused.length,
        waiting_listed: report.paused.reduce((n, pause) => n + pause.waiting, 0),
        retry_all: (retried.stdout || retried.stderr).trim().replace(/\n/g, ' ').slice(0, 120),
      });
    },
  },
  {
    name: 'absurd-ticket-numbers',
    item: 6,
    what: '`show #99999999999999999999`, `show #2147483648` and `assign #9999999999999999999999 @ada` as slash commands',
    async run(suite) {
      const s = await new Scenario(suite, 'AN').begin();
      const texts = [
        'show #99999999999999999999',
        'show #2147483648',
        `assign #9999999999999999999999 <@${ADMIN}>`,
      ];
      const names: string[] = [];
      for (const text of texts) names.push((await s.sendCommand(ADMIN, text)).name);
      const settled = await s.settle();
      const noTicket = names.filter((name) =>
        s.answersTo(name).some((c) => /There is no ticket #/.test(String(c.args.text))),
      ).length;
      return s.figures({ settled, answered_no_such_ticket: noTicket });
    },
  },
  {
    name: 'poison-text',
    item: 7,
    what: 'DMs with a NUL character and a lone surrogate, and a signed envelope with "event": null',
    async run(suite) {
      const s = await new Scenario(suite, 'PT').begin();
      await s.sendDm('my printer\u0000 prints garbage since this morning');
      await s.sendDm('the badge reader \ud800 beeps twice and stays red');
      await s.sendDm('teams \u0000 crashes \udc00 when I share my screen');
      const envelope = { ...s.dm('never read').body, event: null };
      const refused = await postLikeSlack(suite, { json: envelope });
      const settled = await s.settle();
      return s.figures({ settled, malformed_envelope_status: refused.status });
    },
  },
  {
    name: 'absurd-settings',
    item: 8,
    what: '`sla P1 first-response 99999999999999d` by an admin, then 3 DMs whose SLA timers are planned and reconciled',
    async run(suite) {
      const s = await new Scenario(suite, 'AS').begin();
      const db = suite.stack.database.db;
      const policies = async () =>
        JSON.stringify(
          (
            await db
              .selectFrom('settings')
              .select('value')
              .where('key', '=', SETTING_KEYS.policies)
              .executeTakeFirst()
          )?.value ?? null,
        );
      const before = await policies();
      const command = await s.sendCommand(ADMIN, 'sla P1 first-response 99999999999999d');
      await stream(s, 3, 3, request);
      const settled = await s.settle();
      const answer = String(s.answersTo(command.name)[0]?.args.text ?? '');
      return s.figures({
        settled,
        setting_changed: (await policies()) !== before,
        answer: answer.slice(0, 100),
      });
    },
  },
  {
    name: 'long-token-redaction',
    item: 9,
    what: '3 DMs each carrying a 40,000-character unbroken token',
    async run(suite) {
      const s = await new Scenario(suite, 'LT').begin();
      for (let i = 0; i < 3; i++)
        await s.sendDm(`my password reset link is broken: ${'A1b2C3d4'.repeat(5_000)}${i} please help`);
      const settled = await s.settle();
      return s.figures({ settled });
    },
  },
];

/** Runs the scenarios (all, or those named) in order on one suite; one result per scenario. */
export async function runFaults(options: {
  only?: string[] | undefined;
  log?: (line: string) => void;
  onResult?: (figures: FaultFigures) => void;
}): Promise<FaultFigures[]> {
  const log = options.log ?? (() => {});
  const suite = await startFaultSuite(log);
  const results: FaultFigures[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (options.only?.length && !options.only.includes(scenario.name)) continue;
      log(`scenario ${scenario.item} ${scenario.name}: ${scenario.what}`);
      const figures = await scenario.run(suite);
      figures.scenario = scenario.name;
      figures.item = scenario.item;
      results.push(figures);
      options.onResult?.(figures);
      if (!figures.processes_running) {
        log(`a process exited: serve ${suite.serve.child.exitCode}, worker ${suite.worker.child.exitCode}`);
        log(`${suite.serve.stderr().slice(-1500)}\n${suite.worker.stderr().slice(-1500)}`);
        break;
      }
    }
  } finally {
    await suite.close();
  }
  return results;
}

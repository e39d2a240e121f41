/**
 * The scale-out scenario: two `helpdesk serve` and three `helpdesk worker` processes on one
 * Postgres schema and a Redis of their own. Signed Slack DMs stream through both servers; one
 * worker is killed with SIGKILL mid-stream, Redis is killed and started again (empty: it keeps
 * nothing on disk). Every DM must be answered once, every ticket's card posted once, and each
 * ticket's first-response SLA warning and breach posted once. Shared by the test and the bench.
 */
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { SETTING_KEYS } from '../../src/core/timers/settings.ts';
import { messageEvent } from '../slack/builders.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../slack/fake-slack.ts';
import { ids } from '../slack/fixtures/index.ts';
import { SIGNING_SECRET, slackSignature } from '../slack/support.ts';
import { eventually, killRunning, type RunningCli } from './cli.ts';
import {
  prepareStack,
  type RedisServer,
  type Serve,
  type Stack,
  startRedisServer,
  startServe,
  startWorker,
  stopGracefully,
} from './processes.ts';

export interface ScaleOutOptions {
  events: number;
  /** Events per second, spread over both servers. */
  rate: number;
  /** First-response target of every priority: the warning fires at 75 %, the breach at 100 %. */
  firstResponseMs: number;
  /** How long to wait for everything to settle after the last event. */
  settleMs: number;
  log?: (line: string) => void;
}

export interface ScaleOutFigures {
  events: number;
  serveProcesses: number;
  workerProcesses: number;
  /** Answered 200 by a server, counting Slack-style retries after a timeout. */
  acknowledged: number;
  retriesSent: number;
  recorded: number;
  tickets: number;
  answeredOnce: number;
  answersDoubled: number;
  cardsOnce: number;
  cardsDoubled: number;
  slaWarningsOnce: number;
  slaBreachesOnce: number;
  slaDoubled: number;
  /** Events never answered, tickets never carded, timers never fired. */
  lost: number;
  /** Anything posted more than once. */
  doubled: number;
  workerKilledAtEvent: number;
  redisRestartedAtEvent: number;
  recoveredAfterQueueLoss: boolean;
  /** Starting the five processes (in parallel) until each is ready. */
  startMs: number;
  /** From the last event sent to every answer, card and timer posted. */
  settleMs: number;
  durationMs: number;
}

const WARNING = /^⏰ SLA warning: #(\d+) /;
const BREACH = /^🚨 SLA breached: #(\d+) /;
const FILED = /ticket #(\d+)/;
const CARD = /^#(\d+) /;

/** Posts one event as Slack does: a 3 s timeout, then up to three retries with x-slack-retry-num. */
async function deliverLikeSlack(url: string, body: Record<string, unknown>, retries: { count: number }) {
  const raw = JSON.stringify(body);
  for (let attempt = 0; attempt <= 3; attempt++) {
    if (attempt > 0) retries.count++;
    try {
      const response = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...slackSignature(raw),
          ...(attempt > 0
            ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': 'http_timeout' }
            : {}),
        },
        body: raw,
        signal: AbortSignal.timeout(3_000),
      });
      await response.arrayBuffer();
      if (response.status === 200) return true;
    } catch {
      // A timeout or a refused connection: Slack tries again.
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
  }
  return false;
}

const topLevel = (call: RecordedCall) => !call.args.thread_ts;
const textOf = (call: RecordedCall) => String(call.args.text ?? '');

/** Counts per key; the keys seen more than once. */
function tally<T>(items: T[], key: (item: T) => string | undefined) {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutFigures> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  let redis: RedisServer | undefined;
  let slack: FakeSlack | undefined;
  let stack: Stack | undefined;
  const processes: RunningCli[] = [];
  try {
    redis = await startRedisServer();
    slack = await startFakeSlack();
    const users = Array.from({ length: options.events }, (_, i) => `U0SO${String(i).padStart(4, '0')}`);
    for (const [i, id] of users.entries())
      slack.addUser({ id, name: `employee${i}`, email: `employee${i}@acme.test` });
    stack = await prepareStack({
      REDIS_URL: redis.url,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    const db = stack.database.db;
    await setSetting(
      db,
      triageChannelKey('slack'),
      { platform: 'slack', tenant: ids.team, channel: ids.triage },
      null,
    );
    const policy = {
      firstResponseMs: options.firstResponseMs,
      resolutionMs: 24 * 3600_000,
      businessHours: false,
    };
    await setSetting(db, SETTING_KEYS.policies, { P1: policy, P2: policy, P3: policy, P4: policy }, null);

    const [serveA, serveB, ...workers] = await Promise.all([
      startServe(stack),
      startServe(stack),
      startWorker(stack),
      startWorker(stack),
      startWorker(stack),
    ]);
    const serves = [serveA as Serve, serveB as Serve];
    processes.push(...serves, ...workers);
    const startMs = Date.now() - started;
    log(`started 2 serve and ${workers.length} worker processes in ${startMs} ms`);

    const killAt = Math.floor(options.events / 3);
    const restartAt = Math.floor((options.events * 2) / 3);
    const retries = { count: 0 };
    const sends: Array<Promise<boolean>> = [];
    const streamStart = performance.now();
    let redisBack: Promise<void> = Promise.resolve();
    for (let i = 0; i < options.events; i++) {
      const due = streamStart + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      if (i === killAt) {
        workers[0]?.child.kill('SIGKILL');
        log(`event ${i}: worker ${workers[0]?.child.pid} killed with SIGKILL`);
      }
      if (i === restartAt) {
        const server = redis;
        redisBack = (async () => {
          await server.kill();
          log(`event ${i}: redis killed`);
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          await server.start();
          log('redis started again, empty');
        })();
      }
      const body = messageEvent({
        user: users[i] as string,
        channel: `D0SO${String(i).padStart(4, '0')}`,
        text: `the printer on floor ${(i % 9) + 1} jams on every page (${i})`,
      });
      sends.push(deliverLikeSlack((serves[i % 2] as Serve).url, body, retries));
    }
    const acked = (await Promise.all(sends)).filter(Boolean).length;
    await redisBack;
    log(`streamed ${options.events} events; ${acked} acknowledged, ${retries.count} retries`);
    const streamed = Date.now();

    const posts = () => (slack as FakeSlack).callsTo('chat.postMessage').filter((c) => c.response?.ok);
    const settled = await eventually(async () => {
      const all = posts();
      const answered = new Set(
        all.filter((c) => String(c.args.channel).startsWith('D0SO')).map((c) => c.args.channel),
      );
      const breaches = new Set(
        all.filter((c) => topLevel(c) && BREACH.test(textOf(c))).map((c) => BREACH.exec(textOf(c))?.[1]),
      );
      return answered.size === options.events && breaches.size === options.events;
    }, options.settleMs);
    const settleMs = Date.now() - streamed;
    // Whatever might still come twice has its chance to.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    log(`settled: ${settled} after ${Date.now() - started} ms`);

    const all = posts();
    const answers = tally(
      all.filter((c) => String(c.args.channel).startsWith('D0SO')),
      (c) => String(c.args.channel),
    );
    const tickets = Number(
      (
        await db
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const filed = all
      .filter((c) => String(c.args.channel).startsWith('D0SO'))
      .map((c) => FILED.exec(textOf(c))?.[1]);
    const cards = tally(
      all.filter((c) => c.args.channel === ids.triage && topLevel(c) && CARD.test(textOf(c))),
      (c) => CARD.exec(textOf(c))?.[1],
    );
    const warnings = tally(
      all.filter((c) => topLevel(c) && WARNING.test(textOf(c))),
      (c) => WARNING.exec(textOf(c))?.[1],
    );
    const breachesInChannel = tally(
      all.filter((c) => topLevel(c) && BREACH.test(textOf(c))),
      (c) => BREACH.exec(textOf(c))?.[1],
    );
    const breachesInThread = tally(
      all.filter((c) => !topLevel(c) && BREACH.test(textOf(c))),
      (c) => BREACH.exec(textOf(c))?.[1],
    );
    const recorded = Number(
      (
        await db
          .selectFrom('inbound_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const once = (counts: Map<string, number>) => [...counts.values()].filter((n) => n === 1).length;
    const more = (counts: Map<string, number>) => [...counts.values()].filter((n) => n > 1).length;
    const slaOnce = [...Array(tickets).keys()].filter((i) => {
      const n = String(i + 1);
      return warnings.get(n) === 1 && breachesInChannel.get(n) === 1 && breachesInThread.get(n) === 1;
    }).length;
    const figures: ScaleOutFigures = {
      events: options.events,
      serveProcesses: serves.length,
      workerProcesses: workers.length,
      acknowledged: acked,
      retriesSent: retries.count,
      recorded,
      tickets,
      answeredOnce: once(answers),
      answersDoubled: more(answers),
      cardsOnce: once(cards),
      cardsDoubled: more(cards),
      slaWarningsOnce: once(warnings),
      slaBreachesOnce: slaOnce,
      slaDoubled: more(warnings) + more(breachesInChannel) + more(breachesInThread),
      lost: 0,
      doubled: 0,
      workerKilledAtEvent: killAt,
      redisRestartedAtEvent: restartAt,
      recoveredAfterQueueLoss: workers.some((w) => w.stderr().includes('the queue lost its data')),
      startMs,
      settleMs,
      durationMs: Date.now() - started,
    };
    const numbers = [...Array(tickets).keys()].map((i) => String(i + 1));
    const timersNeverFired = numbers.filter(
      (n) => !warnings.has(n) || !breachesInChannel.has(n) || !breachesInThread.has(n),
    ).length;
    figures.lost = options.events - answers.size + (options.events - cards.size) + timersNeverFired;
    figures.doubled = figures.answersDoubled + figures.cardsDoubled + figures.slaDoubled;
    if (new Set(filed).size !== filed.length) log('a DM answer named a ticket twice');
    return figures;
  } finally {
    for (const cli of processes) if (cli.child.exitCode === null) await stopGracefully(cli);
    killRunning();
    await redis?.kill();
    await stack?.close();
    await slack?.close();
  }
}

/**
 * Where the time goes for one DM, on Postgres + Redis, one DM at a time (closed loop) through the
 * whole app in one process (HTTP + Slack adapter + workers, Slack's Web API faked):
 *
 * - accept path (request → 200): signature check, the inbox insert, the enqueue, the rest (fastify,
 *   Bolt, conversion); SQL queries and Redis commands issued before the answer;
 * - process path (answer → requester's reply → triage card → nothing pending): SQL queries, Redis
 *   commands and jobs per DM, time in each job by name, and the agent router's share.
 *
 * Queries are counted with a hook on pg's Client.query, Redis commands on ioredis' sendCommand.
 * One JSON line per path. BENCH_PROFILE_DMS sets the number of DMs (default 40, after 5 warm-up).
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../src/app/config.ts';
import { buildApp } from '../src/app/runtime.ts';
import { checkSlackSignature } from '../src/bots/slack/signature.ts';
import { silentLogger } from '../src/core/logger.ts';
import { setSetting, triageChannelKey } from '../src/core/settings/settings.ts';
import { messageEvent } from '../test/slack/builders.ts';
import { startFakeSlack } from '../test/slack/fake-slack.ts';
import { slackSignature } from '../test/slack/support.ts';
import { dropSchema, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../test/support/db.ts';
import { addUsers, ids, load1, SIGNING_SECRET, spread } from './load.ts';

const DMS = Number(process.env.BENCH_PROFILE_DMS ?? 40);
const WARM_UP = 5;
/** BENCH_PROFILE_TRACE=1: the last DM's statements in order, with ms since its request, on stderr. */
const TRACE = process.env.BENCH_PROFILE_TRACE === '1';
let trace: Array<{ at: number; text: string }> | undefined;

interface Counters {
  queries: number;
  queryMs: number;
  redis: number;
  /** Which path the statements are counted for (the bench waits for one before the next). */
  phase: 'accept' | 'process';
  statements: { accept: Map<string, number>; process: Map<string, number> };
}

const counters: Counters = {
  queries: 0,
  queryMs: 0,
  redis: 0,
  phase: 'accept',
  statements: { accept: new Map(), process: new Map() },
};
/** The bench's own polling client: its queries are not the app's. */
let own: pg.Client | undefined;

function hookQueries(): void {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function hooked(this: pg.Client, ...args: unknown[]) {
    if (this === own) return query.apply(this, args);
    counters.queries++;
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text ?? '');
    // The statement's verb and first table: `select inbound_events`, `insert outbox`, `begin`.
    const lower = text.trim().toLowerCase();
    const table = /(?:from|into|update)\s+"?([\w.]+)"?/.exec(lower)?.[1];
    const verb = `${lower.split(/\s+/)[0]}${table ? ` ${table}` : ''}`;
    const statements = counters.statements[counters.phase];
    statements.set(verb, (statements.get(verb) ?? 0) + 1);
    const started = performance.now();
    trace?.push({ at: started, text: lower.replace(/\s+/g, ' ').slice(0, 160) });
    const result = query.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(
        () => {
          counters.queryMs += performance.now() - started;
        },
        () => {},
      );
    return result;
  } as typeof pg.Client.prototype.query;
  const send = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function hooked(this: Redis, ...args: Parameters<typeof send>) {
    counters.redis++;
    return send.apply(this, args);
  };
}

function snapshot() {
  return { queries: counters.queries, queryMs: counters.queryMs, redis: counters.redis };
}

function diff(a: ReturnType<typeof snapshot>, b: ReturnType<typeof snapshot>) {
  return { queries: b.queries - a.queries, queryMs: b.queryMs - a.queryMs, redis: b.redis - a.redis };
}

const mean = (values: number[]) => Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 10) / 10;

export async function run(): Promise<void> {
  hookQueries();
  const slack = await startFakeSlack();
  const users = addUsers(slack, 10);
  const schema = uniqueName('t');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueName('q'),
    PORT: '0',
    HOST: '127.0.0.1',
    CONSOLE: 'false',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
  const app = await buildApp(config, { http: true, worker: true, migrate: true, log: silentLogger });
  own = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await own.connect();
  try {
    await setSetting(
      app.deps.db,
      triageChannelKey('slack'),
      { platform: 'slack', tenant: ids.team, channel: ids.triage },
      null,
    );
    const url = await app.listen();
    // Time in enqueue (the accept path waits for it) and jobs enqueued, by name.
    const enqueue = app.queue.enqueue.bind(app.queue);
    let enqueueMs = 0;
    const enqueued = new Map<string, number>();
    app.queue.enqueue = (async (name, data, options) => {
      enqueued.set(name, (enqueued.get(name) ?? 0) + 1);
      const started = performance.now();
      try {
        return await enqueue(name, data, options);
      } finally {
        enqueueMs += performance.now() - started;
      }
    }) as typeof app.queue.enqueue;
    const jobs = async () => {
      const values = (await app.metrics.jobDuration.get()).values;
      const byName = new Map<string, { count: number; sum: number }>();
      for (const v of values) {
        const name = String(v.labels.name);
        const entry = byName.get(name) ?? { count: 0, sum: 0 };
        if (v.metricName?.endsWith('_count')) entry.count = v.value;
        if (v.metricName?.endsWith('_sum')) entry.sum = v.value;
        byName.set(name, entry);
      }
      return byName;
    };
    const pending = async () => {
      const { rows } = await (own as pg.Client).query(
        `select (select count(*) from inbound_events where status = 'pending')
              + (select count(*) from outbox where status = 'pending') as n`,
      );
      return Number(rows[0].n);
    };

    const accept: Array<{
      ackMs: number;
      queries: number;
      queryMs: number;
      redis: number;
      enqueueMs: number;
    }> = [];
    const process: Array<{
      replyMs: number;
      cardMs: number;
      doneMs: number;
      queries: number;
      queryMs: number;
      redis: number;
    }> = [];
    const jobsBefore = await jobs();
    const enqueuedBefore = new Map(enqueued);
    const statementsBefore = {
      accept: new Map(counters.statements.accept),
      process: new Map(counters.statements.process),
    };
    for (let i = 0; i < WARM_UP + DMS; i++) {
      const channel = `D0PF${String(i).padStart(5, '0')}`;
      const body = messageEvent({
        user: users[i % users.length] as string,
        channel,
        text: `the printer on floor ${(i % 9) + 1} jams on every page (${i})`,
      });
      const raw = JSON.stringify(body);
      const before = snapshot();
      const enqueueBefore = enqueueMs;
      counters.phase = 'accept';
      const sentAt = Date.now();
      const t0 = performance.now();
      if (TRACE && i === WARM_UP + DMS - 1) trace = [];
      const response = await fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...slackSignature(raw) },
        body: raw,
      });
      await response.arrayBuffer();
      const ackMs = performance.now() - t0;
      const acked = snapshot();
      counters.phase = 'process';
      const enqueueSpent = enqueueMs - enqueueBefore;
      // Until the reply and the card are posted and nothing is pending.
      let replyAt = 0;
      let cardAt = 0;
      for (;;) {
        const posts = slack.callsTo('chat.postMessage').filter((c) => c.response?.ok && c.at >= sentAt);
        replyAt ||= posts.find((c) => c.args.channel === channel)?.at ?? 0;
        cardAt ||= posts.find((c) => c.args.channel === ids.triage && !c.args.thread_ts)?.at ?? 0;
        if (replyAt && cardAt && (await pending()) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const doneMs = Date.now() - sentAt;
      if (trace) {
        for (const each of trace) console.error(`${(each.at - t0).toFixed(1).padStart(7)} ms  ${each.text}`);
        console.error(`reply at ${replyAt - sentAt} ms, card at ${cardAt - sentAt} ms`);
        trace = undefined;
      }
      const processed = diff(acked, snapshot());
      if (i < WARM_UP) continue;
      accept.push({ ackMs, ...diff(before, acked), enqueueMs: enqueueSpent });
      process.push({ replyMs: replyAt - sentAt, cardMs: cardAt - sentAt, doneMs, ...processed });
    }
    const jobsAfter = await jobs();
    const jobsPerDm: Record<string, number> = {};
    const jobMs: Record<string, number> = {};
    for (const [name, after] of jobsAfter) {
      const before = jobsBefore.get(name) ?? { count: 0, sum: 0 };
      const count = after.count - before.count;
      if (count <= 0) continue;
      jobsPerDm[name] = Math.round((count / (WARM_UP + DMS)) * 100) / 100;
      jobMs[name] = Math.round(((after.sum - before.sum) / count) * 1000 * 10) / 10;
    }
    const enqueuedPerDm: Record<string, number> = {};
    for (const [name, n] of enqueued)
      enqueuedPerDm[name] = Math.round(((n - (enqueuedBefore.get(name) ?? 0)) / (WARM_UP + DMS)) * 100) / 100;
    const perDm = (phase: 'accept' | 'process') => {
      const out: Record<string, number> = {};
      for (const [verb, n] of counters.statements[phase]) {
        const count = (n - (statementsBefore[phase].get(verb) ?? 0)) / (WARM_UP + DMS);
        if (count >= 0.05) out[verb] = Math.round(count * 10) / 10;
      }
      return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
    };

    // The signature check alone (HMAC-SHA256 over the raw body), averaged over many calls.
    const raw = JSON.stringify(messageEvent({ user: 'U0X', channel: 'D0X', text: 'the printer jams' }));
    const headers = slackSignature(raw);
    const t = performance.now();
    for (let i = 0; i < 2000; i++)
      checkSlackSignature({
        signingSecret: SIGNING_SECRET,
        signature: headers['x-slack-signature'],
        timestamp: headers['x-slack-request-timestamp'],
        rawBody: raw,
        nowMs: Date.now(),
      });
    const signatureMs = (performance.now() - t) / 2000;

    const ack = spread(accept.map((a) => a.ackMs));
    console.log(
      JSON.stringify({
        bench: 'profile.accept',
        dms: DMS,
        ack_p50_ms: ack.p50,
        ack_p99_ms: ack.p99,
        signature_ms: Math.round(signatureMs * 1000) / 1000,
        sql_queries_per_dm: mean(accept.map((a) => a.queries)),
        sql_ms_p50: spread(accept.map((a) => a.queryMs)).p50,
        enqueue_ms_p50: spread(accept.map((a) => a.enqueueMs)).p50,
        redis_commands_per_dm: mean(accept.map((a) => a.redis)),
        statements_per_dm: perDm('accept'),
        load1: load1(),
      }),
    );
    console.log(
      JSON.stringify({
        bench: 'profile.process',
        dms: DMS,
        reply_p50_ms: spread(process.map((p) => p.replyMs)).p50,
        card_p50_ms: spread(process.map((p) => p.cardMs)).p50,
        done_p50_ms: spread(process.map((p) => p.doneMs)).p50,
        sql_queries_per_dm: mean(process.map((p) => p.queries)),
        sql_ms_per_dm: mean(process.map((p) => p.queryMs)),
        redis_commands_per_dm: mean(process.map((p) => p.redis)),
        jobs_per_dm: jobsPerDm,
        job_ms_mean: jobMs,
        enqueued_per_dm: enqueuedPerDm,
        statements_per_dm: perDm('process'),
        load1: load1(),
      }),
    );
  } finally {
    await own.end();
    await app.close();
    await slack.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${config.QUEUE_PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await dropSchema(schema);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

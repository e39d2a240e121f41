/**
 * Timer benchmark: for 1k, 100k and 1M open tickets (BENCH_SIZES=1000,100000 to limit), inserts
 * the tickets in batches, schedules a delayed breach job per ticket in BullMQ (Redis, addBulk
 * batches), then measures the per-tick cost (one due sla-check handled against the full table)
 * and the breach-alert lag through a real worker. Prints one JSON line per size.
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { systemClock } from '../src/app/clock.ts';
import { coreDeps } from '../src/app/registry.ts';
import type { CoreDeps } from '../src/core/deps.ts';
import { silentLogger } from '../src/core/logger.ts';
import { handleSlaCheck } from '../src/core/sla/sla.handlers.ts';
import { createTicket } from '../src/core/tickets/ticket.service.ts';
import { SETTING_KEYS } from '../src/core/timers/settings.ts';
import { unitOfWork } from '../src/core/unit-of-work.ts';
import { freshSchema, REDIS_URL } from '../test/workers/support.ts';

const INSERT_BATCH = 50_000;
const JOB_BATCH = 2_000;

async function runSize(size: number) {
  const testDb = await freshSchema('bench_workers');
  const { db } = testDb;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const queue = new Queue('timers', { connection: redis, prefix });
  try {
    const requester = await db
      .insertInto('people')
      .values({ email: null, display_name: 'Bench' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const insertStart = performance.now();
    for (let done = 0; done < size; done += INSERT_BATCH) {
      const n = Math.min(INSERT_BATCH, size - done);
      await sql`insert into tickets (requester_id, title, description, category, priority, status, created_at, updated_at,
          first_response_due_at, resolution_due_at)
        select ${requester.id}, 'bench', 'bench', 'other', 'P3', 'open', now() - (g % 1000) * interval '1 minute', now(),
          now() + interval '4 hours', now() + interval '24 hours'
        from generate_series(1, ${n}) g`.execute(db);
    }
    const insertMs = performance.now() - insertStart;

    // Schedule one delayed breach job per ticket, as the hook would, in addBulk batches.
    const scheduleStart = performance.now();
    let lastId = 0;
    for (;;) {
      const ids = await db
        .selectFrom('tickets')
        .select('id')
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(JOB_BATCH)
        .execute();
      if (ids.length === 0) break;
      await queue.addBulk(
        ids.map(({ id }) => ({
          name: 'sla-check',
          data: { ticketId: id, target: 'resolution', kind: 'breach', dueAt: '' },
          opts: { jobId: `sla-${id}-resolution-breach`, delay: 24 * 3_600_000, removeOnComplete: true },
        })),
      );
      lastId = ids[ids.length - 1]?.id ?? lastId;
    }
    const scheduleMs = performance.now() - scheduleStart;

    // Per-tick cost: handle due breaches for 200 fresh tickets while the full table and queue exist.
    await db
      .insertInto('settings')
      .values({
        key: SETTING_KEYS.policies,
        value: JSON.stringify({ P3: { firstResponseMs: 1000 } }),
        updated_by: null,
      })
      .execute();
    const enqueued: string[] = [];
    const deps: CoreDeps = coreDeps({
      db,
      clock: systemClock,
      jobs: {
        async enqueue(name) {
          enqueued.push(name);
        },
      },
      log: silentLogger,
      router: { route: async () => ({ kind: 'chatter', reply: '' }) },
      config: { admins: [], localMode: true },
      notifiers: {},
    });
    const bench = { id: requester.id, displayName: 'Bench', email: null, role: 'requester' } as const;
    const fileProbe = async (description: string) => {
      const created = await unitOfWork(deps, (tx) =>
        createTicket(deps, tx, bench, {
          description,
          triage: { priority: 'P3' },
          conversation: { platform: 'console', tenant: 'local', channel: 'bench' },
        }),
      );
      return created.ok ? created.ticket : undefined;
    };
    const probes = [];
    for (let i = 0; i < 200; i++) {
      const ticket = await fileProbe('bench probe');
      if (ticket) probes.push(ticket);
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const ticks: number[] = [];
    let posted = 0;
    const lags: number[] = [];
    for (const ticket of probes) {
      const due = ticket.created_at.getTime() + 1000;
      const started = performance.now();
      const outcome = await handleSlaCheck(deps, {
        ticketId: ticket.id,
        target: 'first_response',
        kind: 'breach',
        dueAt: new Date(due).toISOString(),
      });
      ticks.push(performance.now() - started);
      if (outcome === 'posted') posted++;
    }
    // Breach-alert lag through a real worker, with every other ticket's delayed job still in the queue.
    const lagProbes = [];
    for (let i = 0; i < 20; i++) {
      const ticket = await fileProbe('lag probe');
      if (ticket) lagProbes.push(ticket);
    }
    const worker = new Worker(
      'timers',
      async (job) => {
        if (job.name === 'sla-check') await handleSlaCheck(deps, job.data);
      },
      { connection: redis.duplicate(), prefix, concurrency: 8 },
    );
    await worker.waitUntilReady();
    for (const ticket of lagProbes) {
      const due = ticket.created_at.getTime() + 1000;
      await queue.add(
        'sla-check',
        { ticketId: ticket.id, target: 'first_response', kind: 'breach', dueAt: new Date(due).toISOString() },
        { jobId: `probe-${ticket.id}`, delay: Math.max(0, due - Date.now()) },
      );
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await db
        .selectFrom('sla_alerts')
        .innerJoin('tickets', 'tickets.id', 'sla_alerts.ticket_id')
        .select(['sla_alerts.created_at', 'tickets.created_at as ticket_created'])
        .where(
          'sla_alerts.ticket_id',
          'in',
          lagProbes.map((t) => t.id),
        )
        .where('sla_alerts.kind', '=', 'breach')
        .execute();
      if (rows.length === lagProbes.length || Date.now() > deadline) {
        for (const row of rows) lags.push(row.created_at.getTime() - (row.ticket_created.getTime() + 1000));
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await worker.close();
    lags.sort((a, b) => a - b);
    ticks.sort((a, b) => a - b);
    const info = await redis.info('memory');
    const redisBytes = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
    return {
      bench: 'workers',
      openTickets: size,
      insertMs: Math.round(insertMs),
      scheduleMs: Math.round(scheduleMs),
      jobsPerSecond: Math.round(size / (scheduleMs / 1000)),
      tickMedianMs: Number((ticks[Math.floor(ticks.length / 2)] ?? 0).toFixed(2)),
      tickP95Ms: Number((ticks[Math.floor(ticks.length * 0.95)] ?? 0).toFixed(2)),
      ticksPosted: posted,
      breachLagMedianMs: lags[Math.floor(lags.length / 2)] ?? null,
      breachLagMaxMs: lags[lags.length - 1] ?? null,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
      redisUsedMb: Math.round(redisBytes / 1e6),
    };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.disconnect();
    await testDb.close();
  }
}

export async function run(options: { sizes?: number[] } = {}): Promise<void> {
  const fromEnv = process.env.BENCH_SIZES?.split(',')
    .map(Number)
    .filter((n) => n > 0);
  const sizes = options.sizes ?? fromEnv ?? [1_000, 100_000, 1_000_000];
  const results = [];
  for (const size of sizes) {
    const result = await runSize(size);
    results.push(result);
    console.log(JSON.stringify(result));
  }
  const first = results[0];
  const last = results[results.length - 1];
  if (first && last && first !== last) {
    console.log(
      JSON.stringify({
        bench: 'workers',
        tickCostRatio: Number((last.tickMedianMs / first.tickMedianMs).toFixed(2)),
        from: first.openTickets,
        to: last.openTickets,
      }),
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

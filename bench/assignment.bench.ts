/**
 * Automatic assignment under concurrent filing: 200 tickets filed 20 at a time (each in its own
 * transaction, on a pool of 20) with assignment off, round-robin, load and skills, over 10 agents.
 * Every assignment holds the cursor row until its filing commits, so filings queue there: this shows
 * what that costs against `off`, and how even the distribution is. One JSON line per mode.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/app/clock.ts';
import { coreDeps } from '../src/app/registry.ts';
import type { Db } from '../src/core/db.ts';
import type { CoreDeps } from '../src/core/deps.ts';
import { silentLogger } from '../src/core/logger.ts';
import { setSetting } from '../src/core/settings/settings.ts';
import { createTicket } from '../src/core/tickets/ticket.service.ts';
import { CATEGORIES } from '../src/core/tickets/ticket.ts';
import { unitOfWork } from '../src/core/unit-of-work.ts';
import {
  consoleRequester,
  consoleTriage,
  freshSchema,
  POSTGRES_URL,
  person,
} from '../test/workers/support.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 200);
const AT_ONCE = 20;
const AGENTS = 10;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function runMode(mode: string) {
  const testDb = await freshSchema('bench_assign');
  const pool = new pg.Pool({
    connectionString: POSTGRES_URL,
    max: AT_ONCE,
    options: `-c search_path=${testDb.schema}`,
  });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) as Db;
  try {
    await setSetting(db, 'triage-channel:console', consoleTriage, null);
    await setSetting(db, 'assignment', mode, null);
    const requester = await person(db, 'Requester', 'requester');
    for (let i = 0; i < AGENTS; i++) {
      const agent = await person(db, `Agent${i}`, 'agent');
      await db
        .insertInto('agent_skills')
        .values({ person_id: agent.id, category: CATEGORIES[i % CATEGORIES.length] ?? 'other' })
        .execute();
    }
    const deps: CoreDeps = coreDeps({
      db,
      clock: systemClock,
      jobs: { enqueue: async () => {} },
      log: silentLogger,
      router: {
        async route() {
          throw new Error('no router in this bench');
        },
      },
      config: { admins: [], localMode: true },
      notifiers: {},
    });
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < TICKETS) {
          const i = next++;
          const t0 = performance.now();
          await unitOfWork(deps, (tx) =>
            createTicket(deps, tx, requester, {
              description: `bench ${i}`,
              triage: { category: CATEGORIES[i % CATEGORIES.length] ?? 'other' },
              conversation: consoleRequester,
            }),
          );
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const totalMs = performance.now() - started;
    const counts = await db
      .selectFrom('tickets')
      .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('assignee_id', 'is not', null)
      .groupBy('assignee_id')
      .execute();
    const perAgent = counts.map((row) => Number(row.n));
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        bench: 'assignment',
        mode,
        tickets: TICKETS,
        concurrency: AT_ONCE,
        agents: AGENTS,
        totalMs: Math.round(totalMs),
        ticketsPerSecond: Math.round((TICKETS / totalMs) * 1000),
        p50Ms: Math.round(quantile(latencies, 0.5)),
        p95Ms: Math.round(quantile(latencies, 0.95)),
        assigned: perAgent.reduce((a, b) => a + b, 0),
        perAgentMin: perAgent.length ? Math.min(...perAgent) : 0,
        perAgentMax: perAgent.length ? Math.max(...perAgent) : 0,
      }),
    );
  } finally {
    await db.destroy();
    await testDb.close();
  }
}

for (const mode of ['off', 'round-robin', 'load', 'skills']) await runMode(mode);

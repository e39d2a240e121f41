/**
 * The gauges refreshed at scrape time: tickets by status, the queue's job counts, and the inbox and
 * outbox backlog. Every query is bounded (partial indexes, a counting cap), so a scrape stays cheap
 * however large the tables grow; serve and worker export the same values (dashboards take the max).
 */
import { sql } from 'kysely';
import type { Db } from '../core/db.ts';
import { countDeadLetters } from '../core/outbox/deadletters.ts';
import type { Metrics } from './metrics.ts';
import type { QueueRuntime } from './queue.ts';

/** Backlog counts stop here: past it the number only says "a lot", and counting costs more. */
export const BACKLOG_COUNT_CAP = 10_000;

const BACKLOG_TABLES = [
  { table: 'inbound_events', label: 'inbox', since: 'received_at' },
  { table: 'outbox', label: 'outbox', since: 'created_at' },
] as const;

async function cappedCount(db: Db, table: string, status: string): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from ${sql.table(table)} where status = ${status} limit ${BACKLOG_COUNT_CAP}
    ) capped`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/** Refreshes every scrape-time gauge; a failing part is left as it was and reported to the caller. */
export async function refreshGauges(
  metrics: Metrics,
  db: Db,
  queue: Pick<QueueRuntime, 'stats'>,
): Promise<void> {
  const failures: unknown[] = [];
  const attempt = (work: () => Promise<void>) => work().catch((error) => void failures.push(error));
  await attempt(async () => {
    const rows = await db
      .selectFrom('tickets')
      .select(['status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('status')
      .execute();
    metrics.tickets.reset();
    for (const row of rows) metrics.tickets.set({ status: row.status }, Number(row.n));
  });
  await attempt(async () => {
    const stats = await queue.stats();
    for (const state of ['waiting', 'active', 'delayed', 'failed'] as const)
      metrics.queueJobs.set({ state }, stats[state]);
    metrics.queueOldestWaiting.set(stats.oldestWaitingSeconds);
  });
  await attempt(async () => {
    const dead = await countDeadLetters(db);
    metrics.deadLetters.reset();
    for (const row of dead)
      metrics.deadLetters.set({ kind: row.kind, platform: row.platform, reason: row.reason }, row.n);
    const paused = await db
      .selectFrom('delivery_pauses')
      .select('platform')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy('platform')
      .execute();
    metrics.pausedWorkspaces.reset();
    for (const row of paused) metrics.pausedWorkspaces.set({ platform: row.platform }, Number(row.n));
  });
  for (const { table, label, since } of BACKLOG_TABLES) {
    await attempt(async () => {
      metrics.backlog.set({ table: label, status: 'pending' }, await cappedCount(db, table, 'pending'));
      metrics.backlog.set({ table: label, status: 'failed' }, await cappedCount(db, table, 'failed'));
      // Pending rows have partial indexes, so this reads only them.
      const oldest = await sql<{ age: number | null }>`
        select extract(epoch from now() - min(${sql.ref(since)}))::float8 as age
        from ${sql.table(table)} where status = 'pending'`.execute(db);
      metrics.backlogOldest.set({ table: label }, Math.max(0, Number(oldest.rows[0]?.age ?? 0)));
    });
  }
  if (failures.length) throw failures[0];
}

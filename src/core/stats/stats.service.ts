/**
 * Helpdesk figures over a window: volume, response and resolution times, SLA compliance per
 * priority, knowledge-base deflection, CSAT, top categories and knowledge gaps. Aggregates run in
 * Postgres (read replicas can serve them); only the small results come back.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db.ts';
import { PRIORITIES, type Priority } from '../tickets/ticket.ts';

export interface Compliance {
  met: number;
  total: number;
}

export interface StatsReport {
  from: Date;
  to: Date;
  opened: number;
  resolved: number;
  medianFirstResponseMs: number | null;
  medianResolutionMs: number | null;
  compliance: Record<Priority, { firstResponse: Compliance; resolution: Compliance }>;
  deflection: { fixedByKb: number; filed: number; rate: number | null };
  csat: { average: number | null; count: number };
  topCategories: Array<{ category: string; count: number }>;
  knowledgeGaps: Array<{ category: string; count: number; example: string }>;
  /** Tickets opened per UTC day and priority, oldest day first. */
  perDay: Array<{ day: string; counts: Record<Priority, number> }>;
}

const DAY = 86_400_000;

export async function computeStats(db: DbOrTx, to: Date, days: number): Promise<StatsReport> {
  const from = new Date(to.getTime() - days * DAY);
  const inWindow = (column: string) =>
    sql<boolean>`${sql.ref(column)} >= ${from} and ${sql.ref(column)} < ${to}`;

  const opened = await db
    .selectFrom('tickets')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at)) * 1000) filter (where first_response_at is not null)`.as(
        'median_first',
      ),
    ])
    .where(inWindow('created_at'))
    .executeTakeFirstOrThrow();

  const resolved = await db
    .selectFrom('tickets')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - created_at)) * 1000)`.as(
        'median',
      ),
      sql<number | null>`avg(csat)`.as('csat_avg'),
      sql<number>`count(csat)`.as('csat_count'),
    ])
    .where(inWindow('resolved_at'))
    .executeTakeFirstOrThrow();

  const compliance = Object.fromEntries(
    PRIORITIES.map((p) => [p, { firstResponse: { met: 0, total: 0 }, resolution: { met: 0, total: 0 } }]),
  ) as StatsReport['compliance'];
  const firstRows = await db
    .selectFrom('tickets')
    .innerJoin('ticket_sla', 'ticket_sla.ticket_id', 'tickets.id')
    .select([
      'tickets.priority',
      sql<number>`count(*) filter (where first_response_met)`.as('met'),
      sql<number>`count(*)`.as('total'),
    ])
    .where(inWindow('tickets.first_response_at'))
    .where('ticket_sla.first_response_met', 'is not', null)
    .groupBy('tickets.priority')
    .execute();
  for (const row of firstRows)
    compliance[row.priority].firstResponse = { met: Number(row.met), total: Number(row.total) };
  const resolutionRows = await db
    .selectFrom('tickets')
    .innerJoin('ticket_sla', 'ticket_sla.ticket_id', 'tickets.id')
    .select([
      'tickets.priority',
      sql<number>`count(*) filter (where resolution_met)`.as('met'),
      sql<number>`count(*)`.as('total'),
    ])
    .where(inWindow('tickets.resolved_at'))
    .where('ticket_sla.resolution_met', 'is not', null)
    .groupBy('tickets.priority')
    .execute();
  for (const row of resolutionRows)
    compliance[row.priority].resolution = { met: Number(row.met), total: Number(row.total) };

  const fixed = await db
    .selectFrom('kb_answers')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('outcome', '=', 'fixed')
    .where(inWindow('decided_at'))
    .executeTakeFirstOrThrow();

  const categories = await db
    .selectFrom('tickets')
    .select(['category', sql<number>`count(*)`.as('count')])
    .where(inWindow('created_at'))
    .groupBy('category')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('category')
    .limit(5)
    .execute();

  // Gaps: requests a good article should have handled but did not — self-service tickets, and KB
  // answers the requester said did not help — grouped by category.
  const gaps = await db
    .selectFrom(
      db
        .selectFrom('tickets')
        .select(['category', 'title as example', 'created_at'])
        .where('self_service', '=', true)
        .where(inWindow('created_at'))
        .unionAll(
          db
            .selectFrom('kb_answers')
            .select([
              sql<string>`coalesce(triage->>'category', 'other')`.as('category'),
              'question as example',
              'created_at',
            ])
            .where('outcome', '=', 'more-help')
            .where(inWindow('created_at')),
        )
        .as('g'),
    )
    .select([
      'category',
      sql<number>`count(*)`.as('count'),
      sql<string>`(array_agg(example order by created_at desc))[1]`.as('example'),
    ])
    .groupBy('category')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('category')
    .limit(5)
    .execute();

  const perDayRows = await db
    .selectFrom('tickets')
    .select([
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
      'priority',
      sql<number>`count(*)`.as('count'),
    ])
    .where(inWindow('created_at'))
    .groupBy(['day', 'priority'])
    .execute();
  const perDay: StatsReport['perDay'] = [];
  for (let t = from.getTime(); t < to.getTime(); t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (perDay.some((d) => d.day === day)) continue;
    perDay.push({ day, counts: { P1: 0, P2: 0, P3: 0, P4: 0 } });
  }
  for (const row of perDayRows) {
    let entry = perDay.find((d) => d.day === row.day);
    if (!entry) {
      entry = { day: row.day, counts: { P1: 0, P2: 0, P3: 0, P4: 0 } };
      perDay.push(entry);
    }
    entry.counts[row.priority] += Number(row.count);
  }
  perDay.sort((a, b) => a.day.localeCompare(b.day));

  const filed = Number(opened.count);
  const fixedByKb = Number(fixed.count);
  return {
    from,
    to,
    opened: filed,
    resolved: Number(resolved.count),
    medianFirstResponseMs: opened.median_first === null ? null : Math.round(Number(opened.median_first)),
    medianResolutionMs: resolved.median === null ? null : Math.round(Number(resolved.median)),
    compliance,
    deflection: { fixedByKb, filed, rate: fixedByKb + filed === 0 ? null : fixedByKb / (fixedByKb + filed) },
    csat: {
      average: resolved.csat_avg === null ? null : Number(resolved.csat_avg),
      count: Number(resolved.csat_count),
    },
    topCategories: categories.map((c) => ({ category: c.category, count: Number(c.count) })),
    knowledgeGaps: gaps.map((g) => ({ category: g.category, count: Number(g.count), example: g.example })),
    perDay,
  };
}

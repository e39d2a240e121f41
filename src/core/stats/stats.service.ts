/**
 * Helpdesk figures over a window: volume, response and resolution times, SLA compliance per
 * priority, knowledge-base deflection, CSAT, top categories and knowledge gaps. Aggregates run in
 * Postgres (read replicas can serve them); only the small results come back.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db.ts';
import { localDaysEnding } from '../sla/calendar.ts';
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
  knowledgeGaps: KnowledgeGap[];
}

/** Requests of one category that no article answered, and the question asked most among them. */
export interface KnowledgeGap {
  category: string;
  count: number;
  /** The most asked question of the category (latest wording), and how often it was asked. */
  example: string;
  exampleCount: number;
}

/** Tickets opened per local day and priority, oldest day first. */
export type PerDay = Array<{ day: string; counts: Record<Priority, number> }>;

/** A day's tickets over all priorities. */
export function dayTotal(day: PerDay[number]): number {
  return PRIORITIES.reduce((sum, p) => sum + day.counts[p], 0);
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

  const knowledgeGaps = await findKnowledgeGaps(db, from, to);

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
    knowledgeGaps,
  };
}

/**
 * Knowledge gaps: questions the knowledge agent could not answer. The router sends a request to the
 * knowledge agent when triage says it is a question or self-service, and files a ticket (with those
 * labels) when no article fits; a requester who clicks "I still need help" marks the answer
 * `more-help` (its follow-up ticket is counted there, not twice). Grouped by category, with the most
 * frequent question by normalised title (case and punctuation ignored).
 */
async function findKnowledgeGaps(db: DbOrTx, from: Date, to: Date): Promise<KnowledgeGap[]> {
  const { rows } = await sql<{ category: string; count: number; example: string; example_count: number }>`
    with asked as (
      select t.category, t.title as question, t.created_at as at
      from tickets t
      where (t.intent = 'question' or t.self_service)
        and t.created_at >= ${from} and t.created_at < ${to}
        and not exists (select 1 from kb_answers a where a.ticket_id = t.id)
      union all
      select coalesce(a.triage->>'category', 'other'),
             coalesce(nullif(a.triage->>'title', ''), a.question),
             a.decided_at
      from kb_answers a
      where a.outcome = 'more-help' and a.decided_at >= ${from} and a.decided_at < ${to}
    ),
    questions as (
      select category,
             count(*) as asked,
             max(at) as latest,
             (array_agg(btrim(question) order by at desc))[1] as wording
      from asked
      group by category, btrim(regexp_replace(lower(question), '[^[:alnum:]]+', ' ', 'g'))
    )
    select category,
           sum(asked) as count,
           (array_agg(wording order by asked desc, latest desc))[1] as example,
           max(asked) as example_count
    from questions
    group by category
    order by count desc, category
    limit 5`.execute(db);
  return rows.map((row) => ({
    category: row.category,
    count: Number(row.count),
    example: row.example,
    exampleCount: Number(row.example_count),
  }));
}

/**
 * Tickets opened per local day (in `timeZone`) and priority: the last `days` local dates ending
 * with today, today counted up to `to`. Day boundaries come from the runtime's tz database, the
 * same one the digest's text and chart labels use.
 */
export async function ticketsPerDay(db: DbOrTx, to: Date, days: number, timeZone: string): Promise<PerDay> {
  const range = localDaysEnding(to.getTime(), days, timeZone);
  const iso = (ms: number) => new Date(ms).toISOString();
  const { rows } = await sql<{ day: string; priority: Priority; count: number }>`
    select d.day, t.priority, count(*) as count
    from unnest(
      ${range.map((d) => d.day)}::text[],
      ${range.map((d) => iso(d.start))}::timestamptz[],
      ${range.map((d) => iso(Math.min(d.end, to.getTime())))}::timestamptz[]
    ) as d(day, starts_at, ends_at)
    join tickets t on t.created_at >= d.starts_at and t.created_at < d.ends_at
    group by d.day, t.priority`.execute(db);
  const perDay: PerDay = range.map((d) => ({ day: d.day, counts: { P1: 0, P2: 0, P3: 0, P4: 0 } }));
  for (const row of rows) {
    const entry = perDay.find((d) => d.day === row.day);
    if (entry) entry.counts[row.priority] += Number(row.count);
  }
  return perDay;
}

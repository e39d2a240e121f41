/**
 * Time tracking: work logged on a ticket (`time #N 30m [note]`), as a timeline entry through
 * `changeTicket` (internal, the note its body) plus a `time_entries` row with the minutes; totals for
 * `show #N` and `stats`.
 */
import type { DbOrTx, Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import type { Person } from '../people/people.service.ts';
import { changeTicket, type Outcome } from '../tickets/ticket.change.ts';
import { formatDuration, parseDuration } from '../timers/duration.ts';

/** One entry is at least a minute and at most a day: anything longer is a typo, not work. */
export const MAX_ENTRY_MINUTES = 24 * 60;

/** Whole minutes from `30m`, `1h30m`, `2h`; or why the duration cannot be logged. */
export function parseWorkMinutes(text: string): number | string {
  const ms = parseDuration(text);
  if (ms === null) return `\`${text}\` is not a duration; write it like \`30m\`, \`1h30m\` or \`2h\`.`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'Log at least one minute.';
  if (minutes > MAX_ENTRY_MINUTES)
    return `\`${text}\` is more than a day; log each day's work on its own (at most 24h).`;
  return minutes;
}

export const formatMinutes = (minutes: number) => formatDuration(minutes * 60_000);

/** Logs `minutes` of the actor's work on the ticket: a timeline entry and its `time_entries` row. */
export async function logTime(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  ticketId: number,
  minutes: number,
  note: string,
): Promise<Outcome> {
  const outcome = await changeTicket(deps, tx, actor, ticketId, 'agent', () => ({
    type: 'time_logged',
    visibility: 'internal',
    patch: {},
    body: note.trim() || undefined,
    after: { minutes },
  }));
  if (!outcome.ok) return outcome;
  // The entry just written: the ticket row is locked by this transaction, so it is the newest.
  const event = await tx
    .selectFrom('ticket_events')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('type', '=', 'time_logged')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('time_entries')
    .values({
      ticket_id: ticketId,
      person_id: actor.id,
      minutes,
      event_id: event.id,
      created_at: deps.clock.now(),
    })
    .execute();
  return outcome;
}

/** The ticket's total and who logged it: "1h30m (bob 1h, alice 30m)", or null when none is logged. */
export async function timeSummary(db: DbOrTx, ticketId: number): Promise<string | null> {
  const rows = await db
    .selectFrom('time_entries')
    .innerJoin('people', 'people.id', 'time_entries.person_id')
    .select(['people.display_name as name', (eb) => eb.fn.sum<number>('time_entries.minutes').as('minutes')])
    .where('time_entries.ticket_id', '=', ticketId)
    .groupBy('people.display_name')
    .orderBy('minutes', 'desc')
    .execute();
  if (rows.length === 0) return null;
  const total = rows.reduce((sum, row) => sum + Number(row.minutes), 0);
  return `${formatMinutes(total)} (${rows.map((row) => `${row.name} ${formatMinutes(Number(row.minutes))}`).join(', ')})`;
}

export interface TimeStats {
  total: number;
  byCategory: Array<{ category: string; minutes: number }>;
  byAgent: Array<{ name: string; minutes: number }>;
}

/** Minutes logged in `[from, to)`, per ticket category and per agent, most first. */
export async function timeStats(db: DbOrTx, from: Date, to: Date): Promise<TimeStats> {
  const base = db
    .selectFrom('time_entries')
    .where('time_entries.created_at', '>=', from)
    .where('time_entries.created_at', '<', to);
  const byCategory = await base
    .innerJoin('tickets', 'tickets.id', 'time_entries.ticket_id')
    .select(['tickets.category', (eb) => eb.fn.sum<number>('time_entries.minutes').as('minutes')])
    .groupBy('tickets.category')
    .orderBy('minutes', 'desc')
    .orderBy('tickets.category')
    .execute();
  const byAgent = await base
    .innerJoin('people', 'people.id', 'time_entries.person_id')
    .select(['people.display_name as name', (eb) => eb.fn.sum<number>('time_entries.minutes').as('minutes')])
    .groupBy('people.display_name')
    .orderBy('minutes', 'desc')
    .orderBy('people.display_name')
    .limit(20)
    .execute();
  const categories = byCategory.map((row) => ({ category: row.category, minutes: Number(row.minutes) }));
  return {
    total: categories.reduce((sum, row) => sum + row.minutes, 0),
    byCategory: categories,
    byAgent: byAgent.map((row) => ({ name: row.name, minutes: Number(row.minutes) })),
  };
}

/** The `stats` lines for time logged. */
export function formatTimeStats(stats: TimeStats): string {
  if (stats.total === 0) return 'Time logged: none';
  return [
    `Time logged: ${formatMinutes(stats.total)}`,
    `  by category: ${stats.byCategory.map((row) => `${row.category} ${formatMinutes(row.minutes)}`).join(', ')}`,
    `  by agent: ${stats.byAgent.map((row) => `${row.name} ${formatMinutes(row.minutes)}`).join(', ')}`,
  ].join('\n');
}

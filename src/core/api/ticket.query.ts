/** What the REST API reads: tickets by filters with a keyset cursor, and one ticket with its timeline. */
import { sql } from 'kysely';
import type { DbOrTx } from '../db.ts';
import { timelineOf } from '../tickets/ticket.repository.ts';
import type { Priority, TicketStatus } from '../tickets/ticket.ts';

export interface PersonRef {
  name: string;
  email: string | null;
}

export interface TicketView {
  id: number;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: Priority;
  category: string;
  requester: PersonRef;
  assignee: PersonRef | null;
  resolution: string | null;
  csat: number | null;
  escalationLevel: number;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TicketFilters {
  status?: TicketStatus[] | undefined;
  priority?: Priority[] | undefined;
  category?: string[] | undefined;
  /** E-mail of the assignee. */
  assignee?: string | undefined;
  /** E-mail of the requester. */
  requester?: string | undefined;
  updatedSince?: Date | undefined;
  /** Full text over title and description (websearch syntax). */
  q?: string | undefined;
}

/** Where the previous page ended: newest change first, ties by id. */
export interface TicketCursor {
  updatedAt: Date;
  id: number;
}

function ticketsWithPeople(db: DbOrTx) {
  return db
    .selectFrom('tickets')
    .innerJoin('people as requester', 'requester.id', 'tickets.requester_id')
    .leftJoin('people as assignee', 'assignee.id', 'tickets.assignee_id')
    .selectAll('tickets')
    .select([
      'requester.display_name as requester_name',
      'requester.email as requester_email',
      'assignee.display_name as assignee_name',
      'assignee.email as assignee_email',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof ticketsWithPeople>['executeTakeFirstOrThrow']>>;

function toView(row: Row): TicketView {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    category: row.category,
    requester: { name: row.requester_name, email: row.requester_email },
    assignee: row.assignee_name === null ? null : { name: row.assignee_name, email: row.assignee_email },
    resolution: row.resolution,
    csat: row.csat,
    escalationLevel: row.escalation_level,
    firstResponseDueAt: row.first_response_due_at,
    resolutionDueAt: row.resolution_due_at,
    firstResponseAt: row.first_response_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One page of tickets, newest change first; `next` is where the following page starts, if any. */
export async function searchTickets(
  db: DbOrTx,
  filters: TicketFilters,
  page: { limit: number; after?: TicketCursor | undefined },
): Promise<{ tickets: TicketView[]; next: TicketCursor | undefined }> {
  let query = ticketsWithPeople(db);
  if (filters.status?.length) query = query.where('tickets.status', 'in', filters.status);
  if (filters.priority?.length) query = query.where('tickets.priority', 'in', filters.priority);
  if (filters.category?.length) query = query.where('tickets.category', 'in', filters.category);
  if (filters.assignee) query = query.where('assignee.email', '=', filters.assignee.trim().toLowerCase());
  if (filters.requester) query = query.where('requester.email', '=', filters.requester.trim().toLowerCase());
  if (filters.updatedSince) query = query.where('tickets.updated_at', '>=', filters.updatedSince);
  if (filters.q?.trim()) {
    query = query.where(
      sql<boolean>`to_tsvector('english', tickets.title || ' ' || tickets.description) @@ websearch_to_tsquery('english', ${filters.q.trim()})`,
    );
  }
  const after = page.after;
  if (after)
    query = query.where(
      sql<boolean>`(tickets.updated_at, tickets.id) < (${after.updatedAt}::timestamptz, ${after.id})`,
    );
  const rows = await query
    .orderBy('tickets.updated_at', 'desc')
    .orderBy('tickets.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const tickets = rows.slice(0, page.limit).map(toView);
  const last = tickets.at(-1);
  return {
    tickets,
    next: rows.length > page.limit && last ? { updatedAt: last.updatedAt, id: last.id } : undefined,
  };
}

export async function ticketByNumber(db: DbOrTx, number: number): Promise<TicketView | undefined> {
  const row = await ticketsWithPeople(db).where('tickets.number', '=', number).executeTakeFirst();
  return row ? toView(row) : undefined;
}

export interface TimelineEntry {
  type: string;
  visibility: 'public' | 'internal';
  actor: string | null;
  body: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: Date;
}

/** The ticket's timeline; internal notes and bookkeeping only when asked for. */
export async function ticketTimeline(
  db: DbOrTx,
  ticketId: number,
  includeInternal: boolean,
): Promise<TimelineEntry[]> {
  const rows = await timelineOf(db, ticketId, includeInternal);
  return rows.map((row) => ({
    type: row.type,
    visibility: row.visibility,
    actor: row.actor,
    body: row.body,
    before: row.before,
    after: row.after,
    at: row.created_at,
  }));
}

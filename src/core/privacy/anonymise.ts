/**
 * Anonymising tickets, shared by retention (closed tickets past their period) and erasure (every
 * ticket a person requested): the requester becomes the one shared "Former employee" person, and
 * every text written on or about the ticket is replaced, while category, priority, status, times,
 * SLA outcomes and CSAT stay, so `stats` counts the same.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db.ts';

/** The text that replaces anything anonymised; never personal data. */
export const REDACTED = '[redacted]';
export const ANONYMISED_TITLE = 'Anonymised ticket';

/** A reserved address (`.invalid` is never a real domain) marks the shared former-employee person. */
export const FORMER_EMPLOYEE_EMAIL = 'former-employee@helpdesk.invalid';
export const FORMER_EMPLOYEE_NAME = 'Former employee';

/** The id of the one shared "Former employee" person, created on first use. */
export async function formerEmployeeId(db: DbOrTx): Promise<number> {
  const row = await db
    .insertInto('people')
    .values({ email: FORMER_EMPLOYEE_EMAIL, display_name: FORMER_EMPLOYEE_NAME })
    .onConflict((oc) => oc.column('email').doUpdateSet({ display_name: FORMER_EMPLOYEE_NAME }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Keys of ticket_events before/after that hold the ticket's texts (the rest are labels and ids). */
const TEXT_KEYS = ['title', 'description', 'resolution', 'text', 'body', 'question', 'value'];

export type Counts = Record<string, number>;

export function addCount(counts: Counts, table: string, n: number | bigint | undefined): void {
  const value = Number(n ?? 0);
  if (value > 0) counts[table] = (counts[table] ?? 0) + value;
}

const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined) =>
  Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0);

/**
 * Anonymises these tickets everywhere they are stored: the ticket's texts and requester, its
 * timeline bodies (public and internal) and the texts in before/after, its attachments' names and
 * links, its form values and a denial's reason, the requester's thread reference, the bodies of messages sent about it, the knowledge
 * answers that led to it and the unreviewed article drafted from it. Returns rows changed per table.
 */
export async function anonymiseTickets(db: DbOrTx, ticketIds: number[], formerId: number): Promise<Counts> {
  const counts: Counts = {};
  if (ticketIds.length === 0) return counts;
  const tickets = await db
    .updateTable('tickets')
    .set({
      requester_id: formerId,
      title: ANONYMISED_TITLE,
      description: REDACTED,
      resolution: sql`case when resolution is null then null else ${REDACTED} end`,
    })
    .where('id', 'in', ticketIds)
    .executeTakeFirst();
  addCount(counts, 'tickets', changed(tickets));

  const strip = (column: 'before' | 'after') =>
    sql<
      string | null
    >`case when ${sql.ref(column)} is null then null else ${sql.ref(column)} - ${sql.val(TEXT_KEYS)}::text[] end`;
  const events = await db
    .updateTable('ticket_events')
    .set({
      body: sql`case when body is null then null else ${REDACTED} end`,
      before: strip('before'),
      after: strip('after'),
    })
    .where('ticket_id', 'in', ticketIds)
    .executeTakeFirst();
  addCount(counts, 'ticket_events', changed(events));

  // Names must stay unique per ticket and link (a unique index): each keeps its own id.
  const attachments = await db
    .updateTable('ticket_attachments')
    .set({ name: sql`'file ' || id::text`, url: '' })
    .where('ticket_id', 'in', ticketIds)
    .executeTakeFirst();
  addCount(counts, 'ticket_attachments', changed(attachments));

  // What the request form said, and why an approver denied it.
  const fields = await db
    .updateTable('ticket_fields')
    .set({ value: sql`case when value is null then null else ${REDACTED} end` })
    .where('ticket_id', 'in', ticketIds)
    .executeTakeFirst();
  addCount(counts, 'ticket_fields', changed(fields));
  const approvals = await db
    .updateTable('approvals')
    .set({ reason: sql`case when reason is null then null else ${REDACTED} end` })
    .where('ticket_id', 'in', ticketIds)
    .executeTakeFirst();
  addCount(counts, 'approvals', changed(approvals));

  // A Teams conversation reference carries the user's name; the channel id is all a closed ticket needs.
  const threads = await db
    .updateTable('ticket_threads')
    .set({
      ref: sql`jsonb_build_object('platform', platform, 'tenant', ref->>'tenant', 'channel', channel, 'isDirect', true)`,
    })
    .where('ticket_id', 'in', ticketIds)
    .where('role', '=', 'requester')
    .executeTakeFirst();
  addCount(counts, 'ticket_threads', changed(threads));

  // The raw event a ticket was filed from is the request itself.
  const source = await db
    .updateTable('inbound_events')
    .set({ payload: sql`jsonb_build_object('redacted', true)` })
    .where('id', 'in', db.selectFrom('tickets').select('source_event_id').where('id', 'in', ticketIds))
    .where(sql<boolean>`not (payload ? 'redacted')`)
    .executeTakeFirst();
  addCount(counts, 'inbound_events', changed(source));

  const outbox = await db
    .updateTable('outbox')
    .set({ body: sql`jsonb_build_object('redacted', true)` })
    .where('ticket_id', 'in', ticketIds)
    .where(sql<boolean>`not (body ? 'redacted')`)
    .executeTakeFirst();
  addCount(counts, 'outbox', changed(outbox));

  const answers = await db
    .updateTable('kb_answers')
    .set({
      question: REDACTED,
      answer: REDACTED,
      triage: sql`case when triage is null then null else triage - 'title' end`,
    })
    .where('ticket_id', 'in', ticketIds)
    .executeTakeFirst();
  addCount(counts, 'kb_answers', changed(answers));

  // A published article was reviewed and generalised by an admin; an unreviewed draft is the ticket's words.
  const drafts = await db
    .deleteFrom('kb_articles')
    .where('source_ticket_id', 'in', ticketIds)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  addCount(counts, 'kb_articles', changed(drafts));
  return counts;
}

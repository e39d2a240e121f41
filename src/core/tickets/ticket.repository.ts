import { type TicketCardView, ticketCard } from '../chat/cards.ts';
import type { ConversationRef, OutMessage, Platform } from '../chat/chat.ts';
import { type DbOrTx, json, type Tx } from '../db.ts';
import { ticketFieldsOf } from '../forms/form.service.ts';
import { teamMessages } from '../i18n/choose.ts';
import { postedRowOf } from '../outbox/outbox.repository.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { attachmentDetail, attachmentsOf } from './attachments.ts';
import type { TicketEventRow, TicketRow, TicketThreadRow } from './ticket.table.ts';

/** Ticket numbers are a Postgres `integer`: anything larger is no ticket, never a query error. */
export const MAX_TICKET_NUMBER = 2_147_483_647;

export async function findTicketByNumber(db: DbOrTx, ticketNumber: number): Promise<TicketRow | undefined> {
  if (!Number.isSafeInteger(ticketNumber) || ticketNumber < 1 || ticketNumber > MAX_TICKET_NUMBER)
    return undefined;
  return db.selectFrom('tickets').selectAll().where('number', '=', ticketNumber).executeTakeFirst();
}

export async function findTicketById(db: DbOrTx, id: number): Promise<TicketRow | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes a ticket's columns; only `changeTicket` and the SLA sync (its due times) call it. */
export async function updateTicket(
  tx: Tx,
  id: number,
  patch: Partial<Omit<TicketRow, 'id' | 'number'>>,
): Promise<TicketRow> {
  return tx.updateTable('tickets').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Locks the ticket row for the rest of the transaction, so concurrent changes queue up. */
export async function lockTicket(tx: Tx, id: number): Promise<TicketRow | undefined> {
  return tx.selectFrom('tickets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function threadsOf(db: DbOrTx, ticketId: number): Promise<TicketThreadRow[]> {
  return db
    .selectFrom('ticket_threads')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
}

/**
 * The ticket whose triage or requester thread this conversation is, if any. A thread started on a
 * message the helpdesk posted to a ticket's requester (the filing acknowledgement, an agent's
 * question, a status change) is that ticket's requester thread too: where the ticket was filed
 * without a thread (the `new` command, the form, a thread-less chat), that is where they answer.
 */
export async function ticketForThread(
  db: DbOrTx,
  ref: ConversationRef,
): Promise<{ ticket: TicketRow; thread: TicketThreadRow } | undefined> {
  if (!ref.thread) return undefined;
  const thread =
    (await db
      .selectFrom('ticket_threads')
      .selectAll()
      .where('platform', '=', ref.platform)
      .where('channel', '=', ref.channel)
      .where('thread', '=', ref.thread)
      .orderBy('id', 'desc')
      .executeTakeFirst()) ?? (await requesterThreadOfPost(db, ref, ref.thread));
  if (!thread) return undefined;
  const ticket = await findTicketById(db, thread.ticket_id);
  return ticket ? { ticket, thread } : undefined;
}

/** The requester thread a message about a ticket was posted to, found by the platform's id for it. */
async function requesterThreadOfPost(
  db: DbOrTx,
  ref: ConversationRef,
  messageId: string,
): Promise<TicketThreadRow | undefined> {
  const posted = await postedRowOf(db, { platform: ref.platform, channel: ref.channel, messageId });
  if (!posted?.ticket_id) return undefined;
  const threads = await threadsOf(db, posted.ticket_id);
  // Only a post to the requester's own conversation: a triage alert names the ticket too.
  return threads.find(
    (t) =>
      t.role === 'requester' &&
      t.platform === posted.platform &&
      t.channel === posted.target.channel &&
      (t.thread ?? t.ref.thread ?? null) === (posted.target.thread ?? null),
  );
}

export async function recordEvent(
  tx: Tx,
  input: {
    ticketId: number;
    actorId: number | null;
    type: string;
    at: Date;
    visibility?: 'public' | 'internal';
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
    body?: string | null;
  },
): Promise<TicketEventRow> {
  return tx
    .insertInto('ticket_events')
    .values({
      ticket_id: input.ticketId,
      actor_id: input.actorId,
      type: input.type,
      visibility: input.visibility ?? 'public',
      before: input.before ? json(input.before) : null,
      after: input.after ? json(input.after) : null,
      body: input.body ?? null,
      created_at: input.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function cardView(db: DbOrTx, ticket: TicketRow): Promise<TicketCardView> {
  const names = await db
    .selectFrom('people')
    .select(['id', 'display_name'])
    .where('id', 'in', [ticket.requester_id, ticket.assignee_id ?? ticket.requester_id])
    .execute();
  const nameOf = (id: number | null) => names.find((p) => p.id === id)?.display_name ?? null;
  const breach = await db
    .selectFrom('ticket_events')
    .select('id')
    .where('ticket_id', '=', ticket.id)
    .where('type', '=', 'sla_breached')
    .executeTakeFirst();
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    description: ticket.description,
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    requesterName: nameOf(ticket.requester_id) ?? 'unknown',
    assigneeName: nameOf(ticket.assignee_id),
    resolution: ticket.resolution,
    firstResponseDueAt: ticket.first_response_due_at,
    resolutionDueAt: ticket.resolution_due_at,
    escalationLevel: ticket.escalation_level,
    breached: breach !== undefined,
    files: (await attachmentsOf(db, ticket.id)).map((file) => ({
      name: file.name,
      url: file.url || undefined,
      detail: attachmentDetail(file),
    })),
    formFields: await ticketFieldsOf(db, ticket),
  };
}

/** Posts to the requester's conversation(s) for this ticket. */
export async function postToRequester(tx: Tx, ticket: TicketRow, message: OutMessage, key: string) {
  for (const thread of await threadsOf(tx, ticket.id)) {
    if (thread.role !== 'requester') continue;
    await queueMessage(tx, {
      key: `${key}-r${thread.id}`,
      op: 'post',
      target: { ...thread.ref, thread: thread.thread ?? thread.ref.thread },
      message,
      ticketId: ticket.id,
    });
  }
}

/**
 * Posts into the ticket's thread in every triage channel (after its card, once that is posted);
 * a builder writes the message per platform (to mention someone the way that platform notifies).
 */
export async function postToTriage(
  tx: Tx,
  ticket: TicketRow,
  message: OutMessage | ((platform: Platform) => Promise<OutMessage>),
  key: string,
) {
  for (const thread of await threadsOf(tx, ticket.id)) {
    if (thread.role !== 'triage') continue;
    await queueMessage(tx, {
      key: `${key}-t${thread.id}`,
      op: 'post',
      target: { ...thread.ref, thread: thread.thread ?? undefined },
      ...(thread.thread || !thread.card_outbox_id ? {} : { threadOf: thread.card_outbox_id }),
      message: typeof message === 'function' ? await message(thread.ref.platform) : message,
      ticketId: ticket.id,
    });
  }
}

/** Updates the ticket card in place wherever it was posted, so channels show the current state. */
export async function refreshCards(tx: Tx, ticket: TicketRow, key: string) {
  const card = ticketCard(await cardView(tx, ticket), await teamMessages(tx));
  for (const thread of await threadsOf(tx, ticket.id)) {
    if (thread.role !== 'triage' || !thread.card_outbox_id) continue;
    await queueMessage(tx, {
      key: `${key}-c${thread.id}`,
      op: 'update',
      target: thread.ref,
      updateOf: thread.card_outbox_id,
      message: card,
      ticketId: ticket.id,
      purpose: 'ticket-card-update',
    });
  }
}

export async function timelineOf(db: DbOrTx, ticketId: number, includeInternal: boolean) {
  let query = db
    .selectFrom('ticket_events')
    .leftJoin('people', 'people.id', 'ticket_events.actor_id')
    .select([
      'ticket_events.type',
      'ticket_events.visibility',
      'ticket_events.body',
      'ticket_events.before',
      'ticket_events.after',
      'ticket_events.created_at',
      'people.display_name as actor',
    ])
    .where('ticket_events.ticket_id', '=', ticketId)
    .orderBy('ticket_events.id');
  if (!includeInternal) query = query.where('ticket_events.visibility', '=', 'public');
  return query.execute();
}

/** Posts into the ticket's thread in every triage channel, with a message built per platform. */
export async function postToTicketThreads(
  tx: Tx,
  ticketId: number,
  build: (platform: string) => Promise<OutMessage>,
  key: string,
): Promise<void> {
  const threads = await tx
    .selectFrom('ticket_threads')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('role', '=', 'triage')
    .orderBy('id')
    .execute();
  for (const thread of threads) {
    // Same targeting as the ticket use cases: the known thread, or the card's thread once posted.
    await queueMessage(tx, {
      key: `${key}-t${thread.id}`,
      op: 'post',
      target: { ...thread.ref, thread: thread.thread ?? undefined },
      ...(thread.thread || !thread.card_outbox_id ? {} : { threadOf: thread.card_outbox_id }),
      message: await build(thread.platform),
      ticketId,
      purpose: 'alert',
    });
  }
}

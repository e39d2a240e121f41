/**
 * The REST API's ticket writes, each one of the chat's own use cases run by the key's actor (an
 * agent), so chat sees every change: cards refresh, the requester is told, the SLA follows.
 */
import { sql } from 'kysely';
import type { ConversationRef } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { getPerson, type Person } from '../people/people.service.ts';
import type { Refusal } from '../tickets/refusal.ts';
import type { Outcome } from '../tickets/ticket.change.ts';
import { findTicketByNumber, lockTicket } from '../tickets/ticket.repository.ts';
import {
  addNote,
  agentReply,
  assignTicket,
  closeTicket,
  createTicket,
  reopenTicket,
  resolveTicket,
  setPending,
  setPriority,
} from '../tickets/ticket.service.ts';
import type { Category, Priority, TicketStatus } from '../tickets/ticket.ts';

/** A refusal of the API's own, beside the ticket use cases' refusals. */
export type ApiRefusal = Refusal | { code: 'unknown_person'; email: string };

export type ApiOutcome = { ok: true; number: number } | { ok: false; refusal: ApiRefusal };

/** The person with this e-mail, created (named `name`, else the address) when unknown. */
export async function personByEmail(tx: Tx, email: string, name?: string): Promise<Person> {
  const address = email.trim().toLowerCase();
  const row = await tx
    .insertInto('people')
    .values({ email: address, display_name: name?.trim() || address })
    .onConflict((oc) => oc.column('email').doUpdateSet({ email: address }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return getPerson(tx, row.id);
}

/**
 * Where to reach a requester in chat for a ticket filed on their behalf: the direct chat of their
 * latest ticket filed from one, else the console's direct chat in local mode. Someone who never
 * wrote to the bot has none: their ticket is filed all the same, and replies stay on its timeline.
 */
export async function requesterConversation(tx: Tx, personId: number): Promise<ConversationRef | undefined> {
  const thread = await tx
    .selectFrom('ticket_threads')
    .innerJoin('tickets', 'tickets.id', 'ticket_threads.ticket_id')
    .select('ticket_threads.ref')
    .where('tickets.requester_id', '=', personId)
    .where('ticket_threads.role', '=', 'requester')
    .where(sql<boolean>`coalesce((ticket_threads.ref->>'isDirect')::boolean, false)`)
    .orderBy('ticket_threads.id', 'desc')
    .executeTakeFirst();
  if (thread) return { ...thread.ref, thread: undefined };
  const console = await tx
    .selectFrom('identities')
    .select(['tenant', 'user_id'])
    .where('person_id', '=', personId)
    .where('platform', '=', 'console')
    .executeTakeFirst();
  if (console)
    return { platform: 'console', tenant: console.tenant, channel: `dm-${console.user_id}`, isDirect: true };
  return undefined;
}

export interface ApiNewTicket {
  requesterEmail: string;
  requesterName?: string | undefined;
  title?: string | undefined;
  description: string;
  priority?: Priority | undefined;
  category?: Category | undefined;
}

/** Files a ticket for a person named by e-mail (created if unknown); they become its requester. */
export async function fileTicketFor(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  input: ApiNewTicket,
): Promise<ApiOutcome> {
  const requester = await personByEmail(tx, input.requesterEmail, input.requesterName);
  const outcome = await createTicket(deps, tx, actor, {
    description: input.description,
    title: input.title,
    triage: {
      ...(input.priority ? { priority: input.priority } : {}),
      ...(input.category ? { category: input.category } : {}),
    },
    conversation: await requesterConversation(tx, requester.id),
    requesterId: requester.id,
  });
  return settled(outcome);
}

function settled(outcome: Outcome): ApiOutcome {
  return outcome.ok ? { ok: true, number: outcome.ticket.number } : outcome;
}

async function ticketIdOf(tx: Tx, number: number): Promise<number | undefined> {
  return (await findTicketByNumber(tx, number))?.id;
}

/** A public comment is an agent's reply (relayed to the requester); an internal one is a note. */
export async function commentOn(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  number: number,
  input: { body: string; visibility: 'public' | 'internal' },
): Promise<ApiOutcome> {
  const ticketId = await ticketIdOf(tx, number);
  if (ticketId === undefined) return { ok: false, refusal: { code: 'no_such_ticket' } };
  const outcome =
    input.visibility === 'internal'
      ? await addNote(deps, tx, actor, ticketId, input.body)
      : await agentReply(deps, tx, actor, ticketId, input.body);
  return settled(outcome);
}

export interface ApiTicketChange {
  status?: Exclude<TicketStatus, 'new'> | undefined;
  /** The resolution note (status `resolved`) or the question to the requester (status `pending`). */
  note?: string | undefined;
  priority?: Priority | undefined;
  /** E-mail of an agent. */
  assigneeEmail?: string | undefined;
}

/**
 * Changes assignee, priority and status through their use cases in the caller's transaction: the caller rolls back when one refuses, so a request changes all or nothing. A
 * field that already has the asked value is left alone, so repeating a request is harmless.
 */
export async function changeTicketFields(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  number: number,
  change: ApiTicketChange,
): Promise<ApiOutcome> {
  const found = await findTicketByNumber(tx, number);
  // Locked before comparing, so a concurrent change cannot slip between the comparison and the steps.
  const ticket = found && (await lockTicket(tx, found.id));
  if (!ticket) return { ok: false, refusal: { code: 'no_such_ticket' } };
  const steps: Array<() => Promise<Outcome>> = [];
  if (change.assigneeEmail !== undefined) {
    const email = change.assigneeEmail.trim().toLowerCase();
    const found = await tx.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst();
    if (!found) return { ok: false, refusal: { code: 'unknown_person', email } };
    if (found.id !== ticket.assignee_id) {
      const assignee = await getPerson(tx, found.id);
      steps.push(() => assignTicket(deps, tx, actor, ticket.id, assignee, email));
    }
  }
  if (change.priority && change.priority !== ticket.priority)
    steps.push(() => setPriority(deps, tx, actor, ticket.id, change.priority as Priority));
  if (change.status && change.status !== ticket.status) {
    const status = change.status;
    const note = change.note ?? '';
    // Reopening comes first (a resolved ticket takes no assignee); any other move comes last.
    steps[status === 'open' ? 'unshift' : 'push'](() => {
      switch (status) {
        case 'pending':
          return setPending(deps, tx, actor, ticket.id, note.trim() || undefined);
        case 'resolved':
          return resolveTicket(deps, tx, actor, ticket.id, note);
        case 'closed':
          return closeTicket(deps, tx, actor, ticket.id);
        case 'awaiting_approval':
          return Promise.resolve({
            ok: false as const,
            refusal: {
              code: 'transition' as const,
              number: ticket.number,
              reason: 'only a new request waits for approval',
            },
          });
        case 'open':
          if (ticket.status === 'resolved') return reopenTicket(deps, tx, actor, ticket.id);
          return Promise.resolve({
            ok: false as const,
            refusal: {
              code: 'transition' as const,
              number: ticket.number,
              reason:
                ticket.status === 'closed'
                  ? 'the ticket is closed; file a new one instead'
                  : `a ${ticket.status} ticket opens when an agent replies or is assigned, or when the requester answers`,
            },
          });
      }
    });
  }
  for (const step of steps) {
    const outcome = await step();
    if (!outcome.ok) return outcome;
  }
  return { ok: true, number: ticket.number };
}

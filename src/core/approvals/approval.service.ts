/**
 * Approvals: a request (intent `request`) in a category that needs approval is filed
 * `awaiting_approval`; its approvers get a card with Approve and Deny; the first decision opens the
 * ticket (into assignment) or closes it with the reason sent to the requester, and every other
 * approval card shows it. Approvers are reminded after a configurable period.
 */
import { sql } from 'kysely';
import { type ApprovalCardView, approvalCard } from '../chat/cards.ts';
import type { ConversationRef, OutMessage } from '../chat/chat.ts';
import { mentionOf } from '../chat/mention.ts';
import type { DbOrTx, Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { ticketFieldsOf } from '../forms/form.service.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { getSetting } from '../settings/settings.ts';
import { changeTicket, moveTo, type Outcome } from '../tickets/ticket.change.ts';
import { findTicketById, recordEvent, threadsOf } from '../tickets/ticket.repository.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { unitOfWork } from '../unit-of-work.ts';
import type { ApprovalRow } from './approval.table.ts';

/** The settings key of the reminder period (milliseconds), set by `approvals remind 4h`. */
export const APPROVAL_REMINDER_KEY = 'approval-reminder';
const DEFAULT_REMINDER_MS = 24 * 60 * 60_000;

export async function reminderPeriod(db: DbOrTx): Promise<number> {
  const stored = await getSetting<number>(db, APPROVAL_REMINDER_KEY);
  return typeof stored === 'number' && stored > 0 ? stored : DEFAULT_REMINDER_MS;
}

export async function approvalCategories(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('approval_categories').select('category').orderBy('category').execute();
  return rows.map((row) => row.category);
}

/** Whether a new ticket waits for approval: a request in a category that needs it. */
export async function needsApproval(
  db: DbOrTx,
  category: string,
  intent: string | null | undefined,
): Promise<boolean> {
  if (intent !== 'request') return false;
  const row = await db
    .selectFrom('approval_categories')
    .select('category')
    .where('category', '=', category)
    .executeTakeFirst();
  return row !== undefined;
}

export interface Approver {
  id: number;
  displayName: string;
}

/** The approvers named for a category. */
export async function approversOf(db: DbOrTx, category: string): Promise<Approver[]> {
  return db
    .selectFrom('approvers')
    .innerJoin('people', 'people.id', 'approvers.person_id')
    .select(['people.id', 'people.display_name as displayName'])
    .where('approvers.category', '=', category)
    .orderBy('people.display_name')
    .execute();
}

/** Who decides a category's requests: its named approvers, or the admins when none is named. */
async function decidersOf(db: DbOrTx, category: string): Promise<Approver[]> {
  const named = await approversOf(db, category);
  if (named.length > 0) return named;
  return db
    .selectFrom('roles')
    .innerJoin('people', 'people.id', 'roles.person_id')
    .select(['people.id', 'people.display_name as displayName'])
    .where('roles.role', '=', 'admin')
    .orderBy('people.id')
    .execute();
}

/**
 * A person's direct chat with the bot: where they last wrote to it directly, on any platform.
 * Undefined for someone who never did (their card goes to the triage thread, mentioning them).
 */
async function directChatOf(db: DbOrTx, personId: number): Promise<ConversationRef | undefined> {
  const row = await db
    .selectFrom('inbound_events')
    .innerJoin('identities', (join) =>
      join
        .onRef('identities.platform', '=', 'inbound_events.platform')
        .on(sql<string>`identities.user_id`, '=', sql<string>`inbound_events.payload->'sender'->>'userId'`),
    )
    .select(sql<ConversationRef>`inbound_events.payload->'conversation'`.as('conversation'))
    .where('identities.person_id', '=', personId)
    .where(sql<string>`inbound_events.payload->'conversation'->>'isDirect'`, '=', 'true')
    .orderBy('inbound_events.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.conversation) return undefined;
  // The chat itself, not the thread of the message found there; no response URL of a past command.
  const { data, ...ref } = row.conversation;
  const reference = data?.reference;
  return { ...ref, thread: undefined, ...(reference ? { data: { reference } } : {}) };
}

async function approvalView(db: DbOrTx, ticket: TicketRow): Promise<ApprovalCardView> {
  const requester = await db
    .selectFrom('people')
    .select('display_name')
    .where('id', '=', ticket.requester_id)
    .executeTakeFirst();
  return {
    ticketId: ticket.id,
    number: ticket.number,
    title: ticket.title,
    description: ticket.description,
    category: ticket.category,
    priority: ticket.priority,
    requesterName: requester?.display_name ?? 'unknown',
    formFields: await ticketFieldsOf(db, ticket),
  };
}

/**
 * Records that a just-filed ticket waits for approval and sends its approvers the card: to each
 * approver's direct chat, or, for those the bot cannot reach directly, into the ticket's triage
 * threads with a mention. The requester never gets a card for their own request.
 */
export async function requestApproval(deps: CoreDeps, tx: Tx, ticket: TicketRow): Promise<void> {
  const now = deps.clock.now();
  const inserted = await tx
    .insertInto('approvals')
    .values({
      ticket_id: ticket.id,
      requested_at: now,
      decided_by: null,
      decided_at: null,
      reason: null,
      reminded_at: null,
    })
    .onConflict((oc) => oc.column('ticket_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return;
  const deciders = (await decidersOf(tx, ticket.category)).filter((p) => p.id !== ticket.requester_id);
  await recordEvent(tx, {
    ticketId: ticket.id,
    actorId: null,
    type: 'approval_requested',
    at: now,
    after: { approvers: deciders.map((p) => p.displayName) },
  });
  const view = await approvalView(tx, ticket);
  const unreachable: Approver[] = [];
  for (const approver of deciders) {
    const chat = await directChatOf(tx, approver.id);
    if (!chat) {
      unreachable.push(approver);
      continue;
    }
    await queueMessage(tx, {
      key: `approval-${inserted.id}-p${approver.id}`,
      op: 'post',
      target: chat,
      message: approvalCard(view),
      ticketId: ticket.id,
      purpose: 'approval-card',
    });
  }
  if (unreachable.length === 0 && deciders.length > 0) return;
  for (const thread of await threadsOf(tx, ticket.id)) {
    if (thread.role !== 'triage') continue;
    const mentions = await Promise.all(unreachable.map((p) => mentionOn(tx, p, thread.platform)));
    await queueMessage(tx, {
      key: `approval-${inserted.id}-t${thread.id}`,
      op: 'post',
      target: { ...thread.ref, thread: thread.thread ?? undefined },
      ...(thread.thread || !thread.card_outbox_id ? {} : { threadOf: thread.card_outbox_id }),
      message: approvalCard({ ...view, approvers: mentions.join(' ') || 'the admins' }),
      ticketId: ticket.id,
      purpose: 'approval-card',
    });
  }
}

async function mentionOn(db: DbOrTx, person: Approver, platform: string): Promise<string> {
  const identity = await db
    .selectFrom('identities')
    .select('user_id')
    .where('person_id', '=', person.id)
    .where('platform', '=', platform)
    .executeTakeFirst();
  return mentionOf(platform, identity?.user_id ?? '', person.displayName);
}

/** The approval cards posted for a ticket (one per approver chat or triage thread). */
async function approvalCardRows(db: DbOrTx, ticketId: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'target', 'thread_of', 'body'])
    .where('ticket_id', '=', ticketId)
    .where('purpose', '=', 'approval-card')
    .where('op', '=', 'post')
    .orderBy('id')
    .execute();
}

export type Decision = 'approve' | 'deny';

/**
 * An approver's decision. The approval row is locked first, so of two decisions at once the second
 * finds it decided. Refused for the requester (never their own), for anyone who is neither a named
 * approver of the category nor an admin, and for a denial without a reason.
 */
export async function decideApproval(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  ticketId: number,
  decision: Decision,
  reason = '',
): Promise<Outcome> {
  const approval = await tx
    .selectFrom('approvals')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .forUpdate()
    .executeTakeFirst();
  const ticket = await findTicketById(tx, ticketId);
  if (!ticket) return { ok: false, refusal: { code: 'no_such_ticket' } };
  if (!approval) return { ok: false, refusal: { code: 'no_approval', number: ticket.number } };
  if (approval.status !== 'pending') {
    const by = await nameOf(tx, approval.decided_by);
    return {
      ok: false,
      refusal: { code: 'approval_decided', number: ticket.number, decision: approval.status, by },
    };
  }
  if (ticket.requester_id === actor.id)
    return { ok: false, refusal: { code: 'approve_own', number: ticket.number } };
  if (!hasRole(actor.role, 'admin') && !(await isApprover(tx, ticket.category, actor.id)))
    return { ok: false, refusal: { code: 'not_approver', number: ticket.number, category: ticket.category } };
  const why = reason.trim().slice(0, 1000);
  if (decision === 'deny' && !why) return { ok: false, refusal: { code: 'deny_reason' } };
  // An approval enters assignment through the ticket follow-ups (assignmentFollowUp sees type 'approved').
  const result = await changeTicket(deps, tx, actor, ticketId, 'approver', (t, now) => {
    // Closed meanwhile (the requester withdrew it): there is nothing left to decide.
    const refused = moveTo(t, decision === 'approve' ? 'open' : 'closed');
    if (refused) return refused;
    return decision === 'approve'
      ? {
          type: 'approved',
          patch: { status: 'open' },
          after: { decision: 'approved' },
          toRequester: `✅ Your request #${t.number} was approved by ${actor.displayName}. The IT team takes it from here.`,
          toTriage: `✅ ${actor.displayName} approved #${t.number}.`,
        }
      : {
          type: 'denied',
          patch: { status: 'closed', closed_at: now },
          body: why,
          after: { decision: 'denied' },
          toRequester: `⛔ Your request #${t.number} was denied by ${actor.displayName}: ${why}`,
          toTriage: `⛔ ${actor.displayName} denied #${t.number}: ${why}`,
        };
  });
  if (!result.ok) return result;
  const now = deps.clock.now();
  await tx
    .updateTable('approvals')
    .set({
      status: decision === 'approve' ? 'approved' : 'denied',
      decided_by: actor.id,
      decided_at: now,
      reason: decision === 'deny' ? why : null,
    })
    .where('id', '=', approval.id)
    .execute();
  await showDecision(tx, approval, result.ticket, {
    kind: decision === 'approve' ? 'approved' : 'denied',
    by: actor.displayName,
    at: now,
    reason: decision === 'deny' ? why : null,
  });
  return result;
}

/** Every approval card of the ticket shows the decision (and loses its buttons). */
async function showDecision(
  tx: Tx,
  approval: ApprovalRow,
  ticket: TicketRow,
  decision: NonNullable<ApprovalCardView['decision']>,
): Promise<void> {
  const view = await approvalView(tx, ticket);
  for (const row of await approvalCardRows(tx, ticket.id)) {
    await queueMessage(tx, {
      key: `approval-${approval.id}-decided-${row.id}`,
      op: 'update',
      target: row.target,
      ...(row.thread_of ? { threadOf: row.thread_of } : {}),
      updateOf: row.id,
      message: approvalCard({ ...view, decision }),
      ticketId: ticket.id,
      purpose: 'approval-card-update',
    });
  }
}

/** An approver asked to decide the ticket (it went through approval in their category) may read it. */
export async function approverOf(db: DbOrTx, ticket: TicketRow, personId: number): Promise<boolean> {
  const approval = await db
    .selectFrom('approvals')
    .select('id')
    .where('ticket_id', '=', ticket.id)
    .executeTakeFirst();
  return approval !== undefined && (await isApprover(db, ticket.category, personId));
}

async function isApprover(db: DbOrTx, category: string, personId: number): Promise<boolean> {
  const row = await db
    .selectFrom('approvers')
    .select('person_id')
    .where('category', '=', category)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}

async function nameOf(db: DbOrTx, personId: number | null): Promise<string> {
  if (personId === null) return 'someone';
  const row = await db
    .selectFrom('people')
    .select('display_name')
    .where('id', '=', personId)
    .executeTakeFirst();
  return row?.display_name ?? 'someone';
}

/**
 * The `approval-reminder` job: approvals still waiting one reminder period after they were asked
 * (or last reminded) get a reminder beside each approval card. Idempotent: a row is reminded under
 * its lock, and the reminder's key names its count, so a re-run or a second worker sends nothing twice.
 */
export async function remindApprovers(deps: CoreDeps): Promise<{ reminded: number }> {
  const period = await reminderPeriod(deps.db);
  const cutoff = new Date(deps.clock.now().getTime() - period);
  const due = await dueApprovals(deps.db, cutoff).limit(100).execute();
  let reminded = 0;
  for (const { id } of due) {
    const done = await unitOfWork(deps, async (tx) => {
      const approval = await dueApprovals(tx, cutoff)
        .where('approvals.id', '=', id)
        .forUpdate('approvals')
        .skipLocked()
        .executeTakeFirst();
      if (!approval) return false;
      const ticket = await findTicketById(tx, approval.ticket_id);
      if (!ticket) return false;
      const count = approval.reminders + 1;
      const now = deps.clock.now();
      const message: OutMessage = {
        text: `⏰ Reminder: #${ticket.number} “${ticket.title}” is still waiting for approval. Approve or deny it on the card above.`,
      };
      for (const row of await approvalCardRows(tx, ticket.id)) {
        await queueMessage(tx, {
          key: `approval-${approval.id}-remind-${count}-${row.id}`,
          op: 'post',
          target: row.target,
          ...(row.thread_of ? { threadOf: row.thread_of } : {}),
          message,
          ticketId: ticket.id,
          purpose: 'approval-reminder',
        });
      }
      await tx
        .updateTable('approvals')
        .set({ reminded_at: now, reminders: count })
        .where('id', '=', approval.id)
        .execute();
      await recordEvent(tx, {
        ticketId: ticket.id,
        actorId: null,
        type: 'approval_reminded',
        at: now,
        visibility: 'internal',
        after: { reminders: count },
      });
      return true;
    });
    if (done) reminded++;
  }
  return { reminded };
}

function dueApprovals(db: DbOrTx, cutoff: Date) {
  return db
    .selectFrom('approvals')
    .innerJoin('tickets', 'tickets.id', 'approvals.ticket_id')
    .select(['approvals.id', 'approvals.ticket_id', 'approvals.reminders'])
    .where('approvals.status', '=', 'pending')
    .where('tickets.status', '=', 'awaiting_approval')
    .where(sql<Date>`coalesce(approvals.reminded_at, approvals.requested_at)`, '<=', cutoff)
    .orderBy('approvals.id');
}

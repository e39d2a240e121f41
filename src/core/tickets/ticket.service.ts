/** The ticket use cases that change an existing ticket, all through `changeTicket`. */
import { csatCard } from '../chat/cards.ts';
import { mentionPerson } from '../chat/mention.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { requesterMessages } from '../i18n/choose.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { addAttachments, type StoredAttachment, withAttachmentLines } from './attachments.ts';
import type { Refusal } from './refusal.ts';
import { changeTicket, moveTo } from './ticket.change.ts';
import type { TicketRow } from './ticket.table.ts';
import { AWAITING_APPROVAL, type Priority, type TicketStatus } from './ticket.ts';

export type { Outcome } from './ticket.change.ts';
// Filing lives in its own file; callers keep one module for every ticket use case.
export { createTicket } from './ticket.create.ts';

/** Taking up a new ticket opens it; any other status stays, as the transition rules allow. */
function openIfNew(ticket: TicketRow): TicketStatus | { refuse: Refusal } {
  if (ticket.status !== 'new') return ticket.status;
  return moveTo(ticket, 'open') ?? 'open';
}

/** Taking or giving a ticket opens it: a request still awaiting approval is refused, with why. */
function openToWork(ticket: TicketRow): TicketStatus | { refuse: Refusal } {
  if (ticket.status === 'awaiting_approval')
    return {
      refuse: {
        code: 'transition',
        number: ticket.number,
        reason: AWAITING_APPROVAL,
      },
    };
  return openIfNew(ticket);
}

/** An agent takes the ticket: assigned to them, open, and the first response clock stops. */
export function claimTicket(deps: CoreDeps, tx: Tx, actor: Person, ticketId: number) {
  return changeTicket(deps, tx, actor, ticketId, 'agent', (t, now) => {
    if (t.status === 'resolved' || t.status === 'closed')
      return { refuse: { code: 'reopen_first', number: t.number, status: t.status } };
    if (t.assignee_id === actor.id) return { refuse: { code: 'already_yours', number: t.number } };
    const status = openToWork(t);
    if (typeof status !== 'string') return status;
    return {
      type: 'claimed',
      patch: {
        assignee_id: actor.id,
        status,
        first_response_at: t.first_response_at ?? now,
      },
      toRequester: (m) => m.noticeClaimed(actor.displayName, t.number),
      toTriage: (m) => m.triageClaimed(actor.displayName, t.number),
    };
  });
}

/**
 * Gives the ticket to an agent. The triage thread mentions the assignee the way their platform
 * notifies (a Slack `<@U…>`), which is how they hear of it; someone who is not an agent is refused.
 */
export function assignTicket(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  ticketId: number,
  assignee: Person,
  /** How the actor's platform writes the assignee in a command (`<@U…>` on Slack), for the refusal. */
  mention = `@${assignee.displayName}`,
) {
  return changeTicket(deps, tx, actor, ticketId, 'agent', (t) => {
    if (!hasRole(assignee.role, 'agent')) {
      return {
        refuse: {
          code: 'not_an_agent',
          number: t.number,
          name: assignee.displayName,
          mention,
          unassigned: t.assignee_id === null,
        },
      };
    }
    if (t.status === 'resolved' || t.status === 'closed')
      return { refuse: { code: 'reopen_first', number: t.number, status: t.status } };
    if (t.assignee_id === assignee.id)
      return { refuse: { code: 'already_assigned', number: t.number, name: assignee.displayName } };
    const status = openToWork(t);
    if (typeof status !== 'string') return status;
    return {
      type: 'assigned',
      patch: { assignee_id: assignee.id, status },
      toTriage: async (m, inTx, platform) => {
        const who = (await mentionPerson(inTx, assignee.id, platform)) ?? assignee.displayName;
        return m.triageAssigned(actor.displayName, t.number, who);
      },
    };
  });
}

export function setPriority(deps: CoreDeps, tx: Tx, actor: Person, ticketId: number, priority: Priority) {
  return changeTicket(deps, tx, actor, ticketId, 'agent', (t) => {
    if (t.priority === priority) return { refuse: { code: 'same_priority', number: t.number, priority } };
    if (t.status === 'closed') return { refuse: { code: 'closed', number: t.number } };
    return {
      type: 'priority_changed',
      patch: { priority },
      toTriage: (m) => m.triagePriority(actor.displayName, t.number, t.priority, priority),
    };
  });
}

/** An internal note: on the timeline and in the triage thread, never shown to the requester. */
export function addNote(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  ticketId: number,
  text: string,
  fromThread = false,
  files: readonly StoredAttachment[] = [],
) {
  return changeTicket(deps, tx, actor, ticketId, 'agent', (t) => {
    if (!text.trim() && files.length === 0) return { refuse: { code: 'empty_note' } };
    const said = withAttachmentLines(text.trim(), files);
    return {
      type: 'note',
      visibility: 'internal',
      patch: {},
      body: said,
      toTriage: fromThread ? undefined : (m) => m.triageNote(t.number, actor.displayName, said),
      ...attaching(actor, files, 'internal'),
    };
  });
}

/** The change's extra write that keeps a message's files on the ticket (public ones refresh the card). */
function attaching(
  actor: Person,
  files: readonly StoredAttachment[],
  visibility: 'public' | 'internal' = 'public',
) {
  if (files.length === 0) return {};
  return {
    refreshCard: visibility === 'public',
    extra: (inTx: Tx, ticket: TicketRow) =>
      addAttachments(inTx, { ticketId: ticket.id, addedBy: actor.id, files, visibility }),
  };
}

/** An agent's public reply: relayed to the requester; the first one counts as first response. */
export function agentReply(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  ticketId: number,
  text: string,
  fromThread = false,
  files: readonly StoredAttachment[] = [],
) {
  return changeTicket(deps, tx, actor, ticketId, 'agent', (t, now) => {
    if (!text.trim() && files.length === 0) return { refuse: { code: 'empty_reply' } };
    if (t.status === 'closed') return { refuse: { code: 'closed', number: t.number } };
    const status = openIfNew(t);
    if (typeof status !== 'string') return status;
    const said = withAttachmentLines(text.trim(), files);
    return {
      type: 'reply',
      patch: { first_response_at: t.first_response_at ?? now, status },
      body: said,
      toRequester: (m) => m.noticeReply(actor.displayName, t.number, said),
      toTriage: fromThread ? undefined : (m) => m.triageReply(actor.displayName, said),
      ...attaching(actor, files),
    };
  });
}

/** The requester's words go to the agents; a reply re-opens a pending or resolved ticket. */
export function requesterReply(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  ticketId: number,
  text: string,
  files: readonly StoredAttachment[] = [],
) {
  return changeTicket(deps, tx, actor, ticketId, 'requester-or-agent', (t) => {
    if (t.status === 'closed') {
      return { refuse: { code: 'closed_reply', number: t.number } };
    }
    const reopen = t.status === 'pending' || t.status === 'resolved';
    const refused = reopen ? moveTo(t, 'open') : undefined;
    if (refused) return refused;
    const said = withAttachmentLines(text.trim(), files);
    return {
      type: 'requester_reply',
      patch: reopen ? { status: 'open', resolved_at: null } : {},
      body: said,
      after: reopen ? { reopened: true } : {},
      toTriage: (m) => m.triageRequester(actor.displayName, said, reopen ? t.number : undefined),
      ...attaching(actor, files),
    };
  });
}

export function setPending(deps: CoreDeps, tx: Tx, actor: Person, ticketId: number, text?: string) {
  return changeTicket(deps, tx, actor, ticketId, 'agent', (t, now) => {
    const refused = moveTo(t, 'pending');
    if (refused) return refused;
    return {
      type: 'pending',
      patch: { status: 'pending', first_response_at: t.first_response_at ?? now },
      body: text,
      toRequester: (m) => m.noticePending(t.number, text),
    };
  });
}

export function resolveTicket(deps: CoreDeps, tx: Tx, actor: Person, ticketId: number, note: string) {
  return changeTicket(deps, tx, actor, ticketId, 'agent', (t, now) => {
    const refused = moveTo(t, 'resolved');
    if (refused) return refused;
    const resolution = note.trim() || null;
    return {
      type: 'resolved',
      patch: {
        status: 'resolved',
        resolution,
        resolved_at: now,
        first_response_at: t.first_response_at ?? now,
      },
      body: resolution ?? undefined,
      toRequester: (m) => m.noticeResolved(t.number, actor.displayName, resolution),
      toTriage: (m) => m.triageResolved(actor.displayName, t.number),
      extra: async (inTx, ticket, key) => {
        const m = await requesterMessages(inTx, ticket);
        for (const thread of await inTx
          .selectFrom('ticket_threads')
          .selectAll()
          .where('ticket_id', '=', ticket.id)
          .where('role', '=', 'requester')
          .execute()) {
          await queueMessage(inTx, {
            key: `${key}-csat-${thread.id}`,
            op: 'post',
            target: { ...thread.ref, thread: thread.thread ?? thread.ref.thread },
            message: csatCard(ticket.id, ticket.number, undefined, m),
            ticketId: ticket.id,
            purpose: 'csat',
          });
        }
      },
    };
  });
}

export function reopenTicket(deps: CoreDeps, tx: Tx, actor: Person, ticketId: number) {
  return changeTicket(deps, tx, actor, ticketId, 'requester-or-agent', (t) => {
    if (t.status !== 'resolved') {
      return { refuse: { code: t.status === 'closed' ? 'closed_reopen' : 'not_resolved', number: t.number } };
    }
    return {
      type: 'reopened',
      patch: { status: 'open', resolved_at: null },
      toRequester: (m) => m.noticeReopened(t.number),
      toTriage: (m) => m.triageReopened(actor.displayName, t.number),
    };
  });
}

export function closeTicket(deps: CoreDeps, tx: Tx, actor: Person, ticketId: number) {
  return changeTicket(deps, tx, actor, ticketId, 'requester-or-agent', (t, now) => {
    const refused = moveTo(t, 'closed');
    if (refused) return refused;
    return {
      type: 'closed',
      patch: { status: 'closed', closed_at: now },
      toRequester: (m) => m.noticeClosed(t.number),
      toTriage: (m) => m.triageClosed(actor.displayName, t.number),
    };
  });
}

/** Records the requester's satisfaction score; a later click replaces the earlier one. */
export function rateTicket(deps: CoreDeps, tx: Tx, actor: Person, ticketId: number, score: number) {
  return changeTicket(deps, tx, actor, ticketId, 'requester-or-agent', (t) => {
    if (t.requester_id !== actor.id) return { refuse: { code: 'rate_not_requester' } };
    if (!Number.isInteger(score) || score < 1 || score > 5) return { refuse: { code: 'rate_range' } };
    if (t.status !== 'resolved' && t.status !== 'closed')
      return { refuse: { code: 'not_resolved_yet', number: t.number } };
    return { type: 'csat', patch: { csat: score }, after: { csat: score } };
  });
}

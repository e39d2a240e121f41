/** The ticket use cases that change an existing ticket, all through `changeTicket`. */
import { csatCard } from '../chat/cards.ts';
import type { Platform } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { mentionPerson } from '../sla/notify.ts';
import { unitOfWork } from '../unit-of-work.ts';
import { runTicketHooks } from './ticket.hooks.ts';
import { lockTicket, postToRequester, postToTriage, recordEvent, refreshCards } from './ticket.repository.ts';
import type { TicketRow } from './ticket.table.ts';
import { checkTransition, type Priority, type TicketStatus } from './ticket.ts';

// Filing lives in its own file; callers keep one module for every ticket use case.
export { createTicket, type NewTicketInput } from './ticket.create.ts';

/** Expected outcomes of a use case; the caller turns `refused` into a message for the user. */
export type Outcome<T = TicketRow> = { ok: true; ticket: T } | { ok: false; reason: string };

type Who = 'agent' | 'requester-or-agent';

interface Change {
  patch: Partial<Omit<TicketRow, 'id' | 'number'>>;
  type: string;
  body?: string | undefined;
  visibility?: 'public' | 'internal';
  after?: Record<string, unknown>;
  toRequester?: string | undefined;
  /** Text for the triage thread, or a builder that writes it per platform (mentions differ). */
  toTriage?: string | ((tx: Tx, platform: Platform) => Promise<string>) | undefined;
  extra?: (tx: Tx, ticket: TicketRow, key: string) => Promise<void>;
}

/**
 * The shape every ticket use case shares: check access, lock, validate, write the change and its
 * timeline entry, notify both sides, refresh the card and run hooks, all in one transaction.
 */
async function changeTicket(
  deps: CoreDeps,
  actor: Person,
  ticketId: number,
  who: Who,
  decide: (ticket: TicketRow, now: Date) => Change | { refuse: string },
): Promise<Outcome> {
  return unitOfWork(deps, async (tx) => {
    const before = await lockTicket(tx, ticketId);
    if (!before) return { ok: false, reason: 'No such ticket.' };
    const isAgent = hasRole(actor.role, 'agent');
    if (who === 'agent' && !isAgent) {
      return { ok: false, reason: `Only agents can do that (you are a ${actor.role}).` };
    }
    if (!isAgent && before.requester_id !== actor.id) {
      return {
        ok: false,
        reason: `Ticket #${before.number} is not yours; only its requester or an agent can do that.`,
      };
    }
    const now = deps.clock.now();
    const change = decide(before, now);
    if ('refuse' in change) return { ok: false, reason: change.refuse };
    const ticket = await tx
      .updateTable('tickets')
      .set({ ...change.patch, updated_at: now })
      .where('id', '=', ticketId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changed: Record<string, unknown> = {};
    const previous: Record<string, unknown> = {};
    for (const key of Object.keys(change.patch) as Array<keyof TicketRow>) {
      if (key === 'updated_at' || before[key] === ticket[key]) continue;
      previous[key] = before[key];
      changed[key] = ticket[key];
    }
    const event = await recordEvent(tx, {
      ticketId,
      actorId: actor.id,
      type: change.type,
      at: now,
      visibility: change.visibility ?? 'public',
      before: Object.keys(previous).length ? previous : null,
      after: { ...changed, ...change.after },
      body: change.body ?? null,
    });
    const key = `evt-${event.id}`;
    if (change.toRequester) await postToRequester(tx, ticket, { text: change.toRequester }, key);
    const toTriage = change.toTriage;
    if (typeof toTriage === 'string') await postToTriage(tx, ticket, { text: toTriage }, key);
    else if (toTriage)
      await postToTriage(tx, ticket, async (platform) => ({ text: await toTriage(tx, platform) }), key);
    if (change.extra) await change.extra(tx, ticket, key);
    const cardFields: Array<keyof TicketRow> = [
      'status',
      'priority',
      'assignee_id',
      'category',
      'escalation_level',
    ];
    if (cardFields.some((field) => before[field] !== ticket[field])) await refreshCards(tx, ticket, key);
    await runTicketHooks(tx, deps, { type: change.type, ticket, before, actorId: actor.id });
    return { ok: true, ticket };
  });
}

function moveTo(ticket: TicketRow, to: TicketStatus): { refuse: string } | undefined {
  const check = checkTransition(ticket.status, to);
  return check.ok ? undefined : { refuse: `Cannot do that to #${ticket.number}: ${check.reason}.` };
}

/** An agent takes the ticket: assigned to them, open, and the first response clock stops. */
export function claimTicket(deps: CoreDeps, actor: Person, ticketId: number) {
  return changeTicket(deps, actor, ticketId, 'agent', (t, now) => {
    if (t.status === 'resolved' || t.status === 'closed')
      return { refuse: `#${t.number} is ${t.status}; reopen it first.` };
    if (t.assignee_id === actor.id) return { refuse: `You already have #${t.number}.` };
    return {
      type: 'claimed',
      patch: {
        assignee_id: actor.id,
        status: t.status === 'new' ? 'open' : t.status,
        first_response_at: t.first_response_at ?? now,
      },
      toRequester: `${actor.displayName} from IT is looking at your ticket #${t.number}.`,
      toTriage: `🙋 ${actor.displayName} claimed #${t.number}.`,
    };
  });
}

/**
 * Gives the ticket to an agent. The triage thread mentions the assignee the way their platform
 * notifies (a Slack `<@U…>`), which is how they hear of it; someone who is not an agent is refused.
 */
export function assignTicket(
  deps: CoreDeps,
  actor: Person,
  ticketId: number,
  assignee: Person,
  /** How the actor's platform writes the assignee in a command (`<@U…>` on Slack), for the refusal. */
  mention = `@${assignee.displayName}`,
) {
  return changeTicket(deps, actor, ticketId, 'agent', (t) => {
    if (!hasRole(assignee.role, 'agent')) {
      return {
        refuse: `${assignee.displayName} is not an agent, so #${t.number} stays ${t.assignee_id === null ? 'unassigned' : 'with its current assignee'}. An admin can make them one (“role ${mention} agent”), then assign it again.`,
      };
    }
    if (t.status === 'resolved' || t.status === 'closed')
      return { refuse: `#${t.number} is ${t.status}; reopen it first.` };
    if (t.assignee_id === assignee.id)
      return { refuse: `#${t.number} is already with ${assignee.displayName}.` };
    return {
      type: 'assigned',
      patch: { assignee_id: assignee.id, status: t.status === 'new' ? 'open' : t.status },
      toTriage: async (tx, platform) => {
        const who = (await mentionPerson(tx, assignee.id, platform)) ?? assignee.displayName;
        return `👉 ${actor.displayName} assigned #${t.number} to ${who}.`;
      },
    };
  });
}

export function setPriority(deps: CoreDeps, actor: Person, ticketId: number, priority: Priority) {
  return changeTicket(deps, actor, ticketId, 'agent', (t) => {
    if (t.priority === priority) return { refuse: `#${t.number} is already ${priority}.` };
    if (t.status === 'closed') return { refuse: `#${t.number} is closed.` };
    return {
      type: 'priority_changed',
      patch: { priority },
      toTriage: `${actor.displayName} changed the priority of #${t.number} from ${t.priority} to ${priority}.`,
    };
  });
}

/** An internal note: on the timeline and in the triage thread, never shown to the requester. */
export function addNote(deps: CoreDeps, actor: Person, ticketId: number, text: string, fromThread = false) {
  return changeTicket(deps, actor, ticketId, 'agent', (t) => {
    if (!text.trim()) return { refuse: 'The note is empty.' };
    return {
      type: 'note',
      visibility: 'internal',
      patch: {},
      body: text.trim(),
      toTriage: fromThread
        ? undefined
        : `📝 Internal note on #${t.number} from ${actor.displayName}: ${text.trim()}`,
    };
  });
}

/** An agent's public reply: relayed to the requester; the first one counts as first response. */
export function agentReply(
  deps: CoreDeps,
  actor: Person,
  ticketId: number,
  text: string,
  fromThread = false,
) {
  return changeTicket(deps, actor, ticketId, 'agent', (t, now) => {
    if (!text.trim()) return { refuse: 'The reply is empty.' };
    if (t.status === 'closed') return { refuse: `#${t.number} is closed.` };
    return {
      type: 'reply',
      patch: {
        first_response_at: t.first_response_at ?? now,
        status: t.status === 'new' ? 'open' : t.status,
      },
      body: text.trim(),
      toRequester: `💬 ${actor.displayName} (IT) on #${t.number}: ${text.trim()}`,
      toTriage: fromThread ? undefined : `💬 ${actor.displayName} replied to the requester: ${text.trim()}`,
    };
  });
}

/** The requester's words go to the agents; a reply re-opens a pending or resolved ticket. */
export function requesterReply(deps: CoreDeps, actor: Person, ticketId: number, text: string) {
  return changeTicket(deps, actor, ticketId, 'requester-or-agent', (t) => {
    if (t.status === 'closed') {
      return { refuse: `Ticket #${t.number} is closed. Send a new message and I'll file a new ticket.` };
    }
    const reopen = t.status === 'pending' || t.status === 'resolved';
    return {
      type: 'requester_reply',
      patch: reopen ? { status: 'open', resolved_at: null } : {},
      body: text.trim(),
      after: reopen ? { reopened: true } : {},
      toTriage: `🗨️ ${actor.displayName}: ${text.trim()}${reopen ? `\n(#${t.number} is open again)` : ''}`,
    };
  });
}

export function setPending(deps: CoreDeps, actor: Person, ticketId: number, text?: string) {
  return changeTicket(deps, actor, ticketId, 'agent', (t, now) => {
    const refused = moveTo(t, 'pending');
    if (refused) return refused;
    return {
      type: 'pending',
      patch: { status: 'pending', first_response_at: t.first_response_at ?? now },
      body: text,
      toRequester: `⏳ IT is waiting on you for #${t.number}${text ? `: ${text}` : '.'} Reply here to continue.`,
    };
  });
}

export function resolveTicket(deps: CoreDeps, actor: Person, ticketId: number, note: string) {
  return changeTicket(deps, actor, ticketId, 'agent', (t, now) => {
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
      toRequester: `✅ Ticket #${t.number} was resolved by ${actor.displayName}${resolution ? `: ${resolution}` : '.'}\nIf it is not fixed, just reply here and it reopens.`,
      toTriage: `✅ ${actor.displayName} resolved #${t.number}.`,
      extra: async (tx, ticket, key) => {
        for (const thread of await tx
          .selectFrom('ticket_threads')
          .selectAll()
          .where('ticket_id', '=', ticket.id)
          .where('role', '=', 'requester')
          .execute()) {
          await queueMessage(tx, {
            key: `${key}-csat-${thread.id}`,
            op: 'post',
            target: { ...thread.ref, thread: thread.thread ?? thread.ref.thread },
            message: csatCard(ticket.id, ticket.number),
            ticketId: ticket.id,
            purpose: 'csat',
          });
        }
      },
    };
  });
}

export function reopenTicket(deps: CoreDeps, actor: Person, ticketId: number) {
  return changeTicket(deps, actor, ticketId, 'requester-or-agent', (t) => {
    if (t.status !== 'resolved') {
      return {
        refuse:
          t.status === 'closed'
            ? `#${t.number} is closed; file a new ticket instead.`
            : `#${t.number} is not resolved.`,
      };
    }
    return {
      type: 'reopened',
      patch: { status: 'open', resolved_at: null },
      toRequester: `🔁 Ticket #${t.number} is open again.`,
      toTriage: `🔁 ${actor.displayName} reopened #${t.number}.`,
    };
  });
}

export function closeTicket(deps: CoreDeps, actor: Person, ticketId: number) {
  return changeTicket(deps, actor, ticketId, 'requester-or-agent', (t, now) => {
    const refused = moveTo(t, 'closed');
    if (refused) return refused;
    return {
      type: 'closed',
      patch: { status: 'closed', closed_at: now },
      toRequester: `🔒 Ticket #${t.number} is closed.`,
      toTriage: `🔒 ${actor.displayName} closed #${t.number}.`,
    };
  });
}

/** Records the requester's satisfaction score; a later click replaces the earlier one. */
export function rateTicket(deps: CoreDeps, actor: Person, ticketId: number, score: number) {
  return changeTicket(deps, actor, ticketId, 'requester-or-agent', (t) => {
    if (t.requester_id !== actor.id) return { refuse: 'Only the requester can rate a ticket.' };
    if (!Number.isInteger(score) || score < 1 || score > 5) return { refuse: 'Ratings go from 1 to 5.' };
    if (t.status !== 'resolved' && t.status !== 'closed')
      return { refuse: `#${t.number} is not resolved yet.` };
    return { type: 'csat', patch: { csat: score }, after: { csat: score } };
  });
}

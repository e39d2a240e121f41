/**
 * The one way a ticket changes, for a person or for the helpdesk itself (timers, workers): check
 * access, lock, decide, write the row and its timeline entry, notify both sides, sync the SLA,
 * refresh the card once and run the hooks, all inside the caller's transaction.
 */
import type { Platform } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { requesterMessages, teamMessages } from '../i18n/choose.ts';
import type { Messages } from '../i18n/i18n.ts';
import { hasRole, type Person } from '../people/people.service.ts';
import { enqueuePlan, syncAfterChange } from '../sla/sla.service.ts';
import { afterCommit } from '../unit-of-work.ts';
import type { Refusal } from './refusal.ts';
import type { TicketChange } from './ticket.hooks.ts';
import {
  lockTicket,
  postToRequester,
  postToTriage,
  recordEvent,
  refreshCards,
  updateTicket,
} from './ticket.repository.ts';
import type { TicketRow } from './ticket.table.ts';
import { checkTransition, type TicketStatus } from './ticket.ts';

/** The helpdesk itself, for changes no person made (auto-resolve, escalation, SLA breach). */
export interface SystemActor {
  id: null;
  displayName: string;
  system: true;
}

export const SYSTEM: SystemActor = { id: null, displayName: 'Helpdesk', system: true };

export type Actor = Person | SystemActor;

/** Expected outcomes of a use case; the caller renders `refusal` with `refusalText`. */
export type Outcome<T = TicketRow> = { ok: true; ticket: T } | { ok: false; refusal: Refusal };

/**
 * Who may make the change: agents only, or also the ticket's requester. The system always may.
 * `approver`: the approvals use case already checked the actor is a named approver or an admin.
 */
export type Who = 'agent' | 'requester-or-agent' | 'approver';

export interface Change {
  patch: Partial<Omit<TicketRow, 'id' | 'number'>>;
  type: string;
  body?: string | undefined;
  visibility?: 'public' | 'internal';
  /** Timeline `after` extras beside the changed fields (e.g. `{ auto: true }`). */
  after?: Record<string, unknown>;
  /** Text for the requester, or a builder given their catalogue (their language). */
  toRequester?: string | ((m: Messages) => string) | undefined;
  /**
   * Text for the triage thread, or a builder given the team's catalogue and the platform (mentions
   * differ) that writes it per platform.
   */
  toTriage?: string | ((m: Messages, tx: Tx, platform: Platform) => string | Promise<string>) | undefined;
  /** More writes of the same change (CSAT cards, alert posts, SLA bookkeeping), before the sync. */
  extra?: (tx: Tx, ticket: TicketRow, key: string) => Promise<void>;
  /** Refresh the card even when no field it shows changed (a breach marks it). */
  refreshCard?: boolean;
  /** Outbox key prefix; defaults to the timeline event's id. */
  key?: string;
}

export type Decision = Change | { refuse: Refusal };

/** The fields a ticket card shows; a change to one of them refreshes the card. */
const CARD_FIELDS: Array<keyof TicketRow> = [
  'status',
  'priority',
  'assignee_id',
  'category',
  'escalation_level',
];

/** Refuses a status change the transition rules forbid. */
export function moveTo(ticket: TicketRow, to: TicketStatus): { refuse: Refusal } | undefined {
  const check = checkTransition(ticket.status, to);
  return check.ok
    ? undefined
    : { refuse: { code: 'transition', number: ticket.number, reason: check.reason } };
}

function accessRefusal(actor: Actor, ticket: TicketRow, who: Who): Refusal | undefined {
  if (actor.id === null || who === 'approver') return undefined;
  const isAgent = hasRole(actor.role, 'agent');
  if (who === 'agent' && !isAgent) return { code: 'agents_only', role: actor.role };
  if (!isAgent && ticket.requester_id !== actor.id) return { code: 'not_yours', number: ticket.number };
  return undefined;
}

export async function changeTicket(
  deps: CoreDeps,
  tx: Tx,
  actor: Actor,
  ticketId: number,
  who: Who,
  decide: (ticket: TicketRow, now: Date) => Decision,
): Promise<Outcome> {
  const before = await lockTicket(tx, ticketId);
  if (!before) return { ok: false, refusal: { code: 'no_such_ticket' } };
  const refused = accessRefusal(actor, before, who);
  if (refused) return { ok: false, refusal: refused };
  const now = deps.clock.now();
  const change = decide(before, now);
  if ('refuse' in change) return { ok: false, refusal: change.refuse };
  const ticket = await updateTicket(tx, ticketId, { ...change.patch, updated_at: now });
  const changed: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};
  for (const field of Object.keys(change.patch) as Array<keyof TicketRow>) {
    if (field === 'updated_at' || before[field] === ticket[field]) continue;
    previous[field] = before[field];
    changed[field] = ticket[field];
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
  const key = change.key ?? `evt-${event.id}`;
  const toRequester = change.toRequester;
  if (toRequester) {
    const text =
      typeof toRequester === 'string' ? toRequester : toRequester(await requesterMessages(tx, ticket));
    await postToRequester(tx, ticket, { text }, key);
  }
  const toTriage = change.toTriage;
  if (typeof toTriage === 'string') await postToTriage(tx, ticket, { text: toTriage }, key);
  else if (toTriage) {
    const m = await teamMessages(tx);
    await postToTriage(tx, ticket, async (platform) => ({ text: await toTriage(m, tx, platform) }), key);
  }
  if (change.extra) await change.extra(tx, ticket, key);
  const current = await afterTicketChange(deps, tx, {
    type: change.type,
    ticket,
    before,
    actorId: actor.id,
    event: {
      id: event.id,
      body: change.body ?? null,
      visibility: change.visibility ?? 'public',
      after: change.after ?? {},
    },
  });
  const cardChanged = CARD_FIELDS.some((field) => before[field] !== current.ticket[field]);
  if (cardChanged || current.dueMoved || change.refreshCard) await refreshCards(tx, current.ticket, key);
  const followed = await runFollowUps(deps, tx, {
    type: change.type,
    ticket: current.ticket,
    before,
    actorId: actor.id,
  });
  return { ok: true, ticket: followed };
}

/** The follow-ups of a complete change (filing included); the ticket as the last one left it. */
export async function runFollowUps(deps: CoreDeps, tx: Tx, change: TicketChange): Promise<TicketRow> {
  let ticket = change.ticket;
  for (const followUp of deps.ticketFollowUps) {
    ticket = (await followUp(tx, deps, { ...change, ticket })) ?? ticket;
  }
  return ticket;
}

/**
 * What follows every change, filing included: the SLA bookkeeping (once), its timers after commit,
 * then the hooks other features passed in through deps (knowledge mining).
 */
export async function afterTicketChange(
  deps: CoreDeps,
  tx: Tx,
  change: TicketChange,
): Promise<{ ticket: TicketRow; dueMoved: boolean }> {
  const sync = await syncAfterChange(tx, deps, change);
  afterCommit(tx, () => enqueuePlan(deps, sync.plan, deps.clock.now()));
  const synced = { ...change, ticket: sync.ticket };
  for (const hook of deps.ticketHooks) await hook(tx, deps, synced);
  return { ticket: sync.ticket, dueMoved: sync.dueMoved };
}

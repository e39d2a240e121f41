/**
 * Keeps a ticket's SLA bookkeeping, due times and timer jobs in step with its changes. Runs in
 * the use case's transaction (a ticket hook); jobs are enqueued after commit, with deterministic
 * ids, so a job never sees a change that was rolled back and planning twice schedules once.
 */

import { type DbOrTx, json, type Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import type { JobQueue } from '../jobs/jobs.ts';
import type { Logger } from '../logger.ts';
import type { TicketChange } from '../tickets/ticket.hooks.ts';
import { refreshCards, updateTicket } from '../tickets/ticket.repository.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import {
  type AlertKey,
  alertKeyString,
  dropStaleWarnings,
  nextSlaState,
  type PlannedJob,
  pausesOf,
  planTimers,
  type SlaState,
  withOutcomes,
} from '../timers/plan.ts';
import { loadWorkerSettings, type WorkerSettings } from '../timers/settings.ts';
import { computeDueTimes } from './sla.policy.ts';
import type { TicketSlaRow } from './sla.table.ts';

export function stateOf(row: TicketSlaRow | undefined): SlaState | null {
  if (!row) return null;
  return {
    status: row.status,
    status_since: row.status_since,
    paused_since: row.paused_since,
    pauses: row.pauses,
    first_response_met: row.first_response_met,
    resolution_met: row.resolution_met,
    escalated_at: row.escalated_at,
    paged_at: row.paged_at,
    escalation_stopped_at: row.escalation_stopped_at,
    escalation_stopped_by: row.escalation_stopped_by,
  };
}

export async function loadSlaState(db: DbOrTx, ticketId: number, lock = false): Promise<SlaState | null> {
  let query = db.selectFrom('ticket_sla').selectAll().where('ticket_id', '=', ticketId);
  if (lock) query = query.forUpdate();
  return stateOf(await query.executeTakeFirst());
}

export async function saveSlaState(tx: Tx, ticketId: number, state: SlaState, now: Date): Promise<void> {
  const values = { ...state, pauses: json(state.pauses), updated_at: now };
  await tx
    .insertInto('ticket_sla')
    .values({ ticket_id: ticketId, ...values })
    .onConflict((oc) => oc.column('ticket_id').doUpdateSet(values))
    .execute();
}

/** Keys of the alerts already posted for these tickets, so plans skip what is done. */
export async function postedAlerts(db: DbOrTx, ticketIds: number[]): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('sla_alerts')
    .select(['ticket_id', 'target', 'kind', 'level', 'due_at'])
    .where('ticket_id', 'in', ticketIds)
    .execute();
  return new Set(
    rows.map(
      (row) =>
        `${row.ticket_id}|${alertKeyString({ target: row.target, kind: row.kind, level: row.level, dueAt: row.due_at })}`,
    ),
  );
}

export function unposted(plan: PlannedJob[], ticketId: number, posted: Set<string>): PlannedJob[] {
  return plan.filter((job) => !job.alert || !posted.has(`${ticketId}|${alertKeyString(job.alert)}`));
}

/** Enqueues planned jobs as delayed jobs; a job already queued under the same id is left alone. */
export async function enqueuePlan(
  deps: { jobs: JobQueue; log: Logger },
  plan: PlannedJob[],
  now: Date,
): Promise<void> {
  for (const job of plan) {
    const delayMs = Math.max(0, job.runAt.getTime() - now.getTime());
    await deps.jobs.enqueue(job.name, job.data as never, { delayMs, jobId: job.jobId });
  }
}

/** The ticket reached a new escalation level now; the next level counts from here. */
export async function markEscalated(tx: Tx, ticketId: number, now: Date): Promise<void> {
  await tx
    .updateTable('ticket_sla')
    .set({ escalated_at: now, updated_at: now })
    .where('ticket_id', '=', ticketId)
    .execute();
}

/**
 * Claims an alert: inserts its once-only row and says whether this caller is the one to post it.
 * Call inside the transaction that writes the alert's outbox rows.
 */
export async function claimAlert(tx: Tx, ticketId: number, key: AlertKey, now: Date): Promise<boolean> {
  const row = await tx
    .insertInto('sla_alerts')
    .values({
      ticket_id: ticketId,
      target: key.target,
      kind: key.kind,
      level: key.level,
      due_at: key.dueAt,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['ticket_id', 'target', 'kind', 'level', 'due_at']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface SyncResult {
  state: SlaState;
  plan: PlannedJob[];
  ticket: TicketRow;
  /** The due times on the ticket moved: its card shows them, so the caller refreshes it. */
  dueMoved: boolean;
}

/**
 * Brings one ticket's SLA bookkeeping and due times up to date inside `tx` and returns the timer
 * jobs it still needs. The caller refreshes the card when `dueMoved` (a change does it once).
 */
export async function syncTicketSla(
  tx: Tx,
  deps: Pick<CoreDeps, 'clock'>,
  ticket: TicketRow,
  settings?: WorkerSettings,
): Promise<SyncResult> {
  const now = deps.clock.now();
  const config = settings ?? (await loadWorkerSettings(tx));
  const prev = await loadSlaState(tx, ticket.id, true);
  let state = nextSlaState(prev, ticket, now);
  const due = computeDueTimes(ticket, config.policies, pausesOf(state), config.calendar);
  state = withOutcomes(state, ticket, due);
  if (state !== prev) await saveSlaState(tx, ticket.id, state, now);

  let current = ticket;
  // While paused the due times are unknown; keep the last ones on the ticket for reference.
  const first = due.first_response ?? ticket.first_response_due_at;
  const resolution = due.resolution ?? ticket.resolution_due_at;
  const dueMoved =
    first?.getTime() !== ticket.first_response_due_at?.getTime() ||
    resolution?.getTime() !== ticket.resolution_due_at?.getTime();
  if (dueMoved) {
    current = await updateTicket(tx, ticket.id, {
      first_response_due_at: first,
      resolution_due_at: resolution,
    });
  }
  const planned = dropStaleWarnings(planTimers(current, state, config), now);
  const plan = unposted(planned, ticket.id, await postedAlerts(tx, [ticket.id]));
  return { state, plan, ticket: current, dueMoved };
}

/**
 * Syncs outside a ticket change (a timer, the reconciler, an SLA command): refreshes the card here
 * when the due times moved, under a key of its own.
 */
export async function syncAndRefresh(
  tx: Tx,
  deps: Pick<CoreDeps, 'clock'>,
  ticket: TicketRow,
  settings?: WorkerSettings,
): Promise<SyncResult> {
  const sync = await syncTicketSla(tx, deps, ticket, settings);
  if (sync.dueMoved) {
    const first = sync.ticket.first_response_due_at?.getTime();
    const resolution = sync.ticket.resolution_due_at?.getTime();
    await refreshCards(tx, sync.ticket, `sla-due-${ticket.id}-${first}-${resolution}`);
  }
  return sync;
}

/**
 * Changes that end a running escalation for good: an agent answering (a reply or a claim), asking the
 * requester (pending) or resolving. A later reopen or requester reply does not restart the ladder.
 */
const ENDS_ESCALATION = new Set(['reply', 'claimed', 'pending', 'resolved']);

/** The SLA side of a ticket change, run once by `changeTicket` (and filing): bookkeeping in `tx`. */
export async function syncAfterChange(
  tx: Tx,
  deps: Pick<CoreDeps, 'clock'>,
  change: TicketChange,
): Promise<SyncResult> {
  const now = deps.clock.now();
  if (ENDS_ESCALATION.has(change.type) && change.ticket.escalation_level > 0) {
    await tx
      .updateTable('ticket_sla')
      .set({ escalation_stopped_at: now, escalation_stopped_by: change.actorId })
      .where('ticket_id', '=', change.ticket.id)
      .where('escalation_stopped_at', 'is', null)
      .execute();
  }
  return syncTicketSla(tx, deps, change.ticket);
}

/**
 * The common start of every timer handler (SLA checks, escalation, lifecycle): lock the ticket,
 * re-plan from its current state, and claim the job's once-only `sla_alerts` row, all inside the
 * handler's transaction so that the claim commits (or rolls back) with the posts it guards.
 */
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { RetryLaterError } from '../jobs/jobs.ts';
import { claimAlert, type SyncResult, syncAndRefresh } from '../sla/sla.service.ts';
import { lockTicket } from '../tickets/ticket.repository.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import type { PlannedJob } from './plan.ts';
import { loadWorkerSettings, type WorkerSettings } from './settings.ts';

export type TimerOutcome = 'posted' | 'duplicate' | 'inactive' | 'moved' | 'missing' | 'stopped';

/** A job that fired before its time (clock skew, a moved due) runs again when due. */
export function notYet(runAt: Date, now: Date): void {
  if (now < runAt) throw new RetryLaterError('not due yet', Math.max(10, runAt.getTime() - now.getTime()));
}

type JobOf<N extends PlannedJob['name']> = Extract<PlannedJob, { name: N }>;

export interface TimerState<N extends PlannedJob['name']> {
  ticket: TicketRow;
  sync: SyncResult;
  /** The job of this name the current plan still wants, if any. */
  job: JobOf<N> | undefined;
  settings: WorkerSettings;
}

export type TimerClaim<N extends PlannedJob['name']> =
  | (TimerState<N> & { ok: true; job: JobOf<N>; now: Date })
  | { ok: false; outcome: Exclude<TimerOutcome, 'posted'> };

export interface TimerClaimOptions<N extends PlannedJob['name']> {
  /** Narrows which planned job of this name is this handler's (e.g. the same `since`). */
  matches?: (job: JobOf<N>) => boolean;
  /** Ends the handler early with an outcome; runs before the job's presence is checked. */
  check?: (state: TimerState<N>) => Exclude<TimerOutcome, 'posted'> | undefined;
  /** When false the job acts as soon as it runs instead of waiting for its `runAt`. */
  waitUntilDue?: boolean;
}

/**
 * Locks the ticket, re-plans it and claims the alert of the planned job named `name`; says why
 * not when the ticket is gone, the plan no longer wants the job, or the alert was already posted.
 */
export async function claimTimer<N extends PlannedJob['name']>(
  tx: Tx,
  deps: CoreDeps,
  name: N,
  ticketId: number,
  options: TimerClaimOptions<N> = {},
): Promise<TimerClaim<N>> {
  const locked = await lockTicket(tx, ticketId);
  if (!locked) return { ok: false, outcome: 'missing' };
  const settings = await loadWorkerSettings(tx);
  const sync = await syncAndRefresh(tx, deps, locked, settings);
  const job = sync.plan.find(
    (planned): planned is JobOf<N> =>
      planned.name === name && (options.matches?.(planned as JobOf<N>) ?? true),
  );
  const state: TimerState<N> = { ticket: sync.ticket, sync, job, settings };
  const stopped = options.check?.(state);
  if (stopped) return { ok: false, outcome: stopped };
  if (!job) return { ok: false, outcome: 'inactive' };
  const now = deps.clock.now();
  if (options.waitUntilDue !== false) notYet(job.runAt, now);
  if (!job.alert || !(await claimAlert(tx, state.ticket.id, job.alert, now))) {
    return { ok: false, outcome: 'duplicate' };
  }
  return { ...state, ok: true, job, now };
}

/**
 * Which timer jobs a ticket should have right now, as a pure function of the ticket, its SLA
 * bookkeeping and the settings. The ticket hook and the reconciler both enqueue this plan with
 * deterministic job ids, so planning twice never schedules twice.
 */
import { type JobData, type JobName, jobId } from '../jobs/jobs.ts';
import {
  type AlertKind,
  alertTime,
  computeDueTimes,
  type DueTimes,
  type Pause,
  type SlaTarget,
} from '../sla/sla.policy.ts';
import type { AlertTarget, StoredAlertKind, StoredPauses } from '../sla/sla.table.ts';
import type { Priority, TicketStatus } from '../tickets/ticket.ts';
import { MAX_LEVEL, type WorkerSettings } from './settings.ts';

export interface TimerTicket {
  id: number;
  priority: Priority;
  status: TicketStatus;
  created_at: Date;
  first_response_at: Date | null;
  resolved_at: Date | null;
  escalation_level: number;
}

/** The SLA bookkeeping fields the plan depends on. */
export interface SlaState {
  status: string;
  status_since: Date;
  paused_since: Date | null;
  pauses: StoredPauses;
  first_response_met: boolean | null;
  resolution_met: boolean | null;
  escalated_at: Date | null;
  paged_at: Date | null;
  escalation_stopped_at: Date | null;
  escalation_stopped_by: number | null;
}

/** A key of the once-only alert table. */
export interface AlertKey {
  target: AlertTarget;
  kind: StoredAlertKind;
  level: number;
  dueAt: Date;
}

export type PlannedJob = {
  [N in JobName]: { name: N; data: JobData<N>; jobId: string; runAt: Date; alert: AlertKey | null };
}[JobName];

/** Statuses in which the SLA clock stops (waiting on the requester or an approver, or done). */
export function isPausedStatus(status: string): boolean {
  return (
    status === 'pending' || status === 'awaiting_approval' || status === 'resolved' || status === 'closed'
  );
}

export function isActiveStatus(status: string): boolean {
  return status === 'new' || status === 'open';
}

export function pausesOf(state: Pick<SlaState, 'pauses' | 'paused_since'>): Pause[] {
  const out: Pause[] = state.pauses.map(([from, to]) => ({ from: new Date(from), to: new Date(to) }));
  if (state.paused_since) out.push({ from: state.paused_since, to: null });
  return out;
}

/** The bookkeeping after a ticket change: notes status transitions and opens or closes pauses. */
export function nextSlaState(prev: SlaState | null, ticket: TimerTicket, now: Date): SlaState {
  if (!prev) {
    return {
      status: ticket.status,
      status_since: ticket.status === 'new' ? ticket.created_at : now,
      paused_since: isPausedStatus(ticket.status) ? now : null,
      pauses: [],
      first_response_met: null,
      resolution_met: null,
      escalated_at: null,
      paged_at: null,
      escalation_stopped_at: null,
      escalation_stopped_by: null,
    };
  }
  if (prev.status === ticket.status) return prev;
  const next: SlaState = { ...prev, status: ticket.status, status_since: now, pauses: [...prev.pauses] };
  const wasPaused = prev.paused_since !== null;
  const nowPaused = isPausedStatus(ticket.status);
  if (wasPaused && !nowPaused && prev.paused_since) {
    next.pauses.push([prev.paused_since.toISOString(), now.toISOString()]);
    next.paused_since = null;
  } else if (!wasPaused && nowPaused) {
    next.paused_since = now;
  }
  // A reopened ticket is judged again when it is resolved again.
  if (prev.status === 'resolved' && isActiveStatus(ticket.status)) next.resolution_met = null;
  return next;
}

/** Records whether each target was met, once the first response or the resolution happened. */
export function withOutcomes(state: SlaState, ticket: TimerTicket, due: DueTimes): SlaState {
  const next = { ...state };
  // A null due time means the clock was paused before reaching it: the target was met.
  if (ticket.first_response_at && next.first_response_met === null) {
    next.first_response_met = !due.first_response || ticket.first_response_at <= due.first_response;
  }
  if ((ticket.status === 'resolved' || ticket.status === 'closed') && next.resolution_met === null) {
    const at = ticket.resolved_at ?? state.status_since;
    next.resolution_met = !due.resolution || at <= due.resolution;
  }
  return next;
}

function targetIsLive(ticket: TimerTicket, target: SlaTarget): boolean {
  if (!isActiveStatus(ticket.status)) return false;
  return target === 'resolution' || ticket.first_response_at === null;
}

/** Every timer job the ticket should have now (already-posted alerts are filtered by the caller). */
export function planTimers(ticket: TimerTicket, state: SlaState, settings: WorkerSettings): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  const pauses = pausesOf(state);
  const due = computeDueTimes(ticket, settings.policies, pauses, settings.calendar);

  for (const target of ['first_response', 'resolution'] as const) {
    const dueAt = due[target];
    if (!dueAt || !targetIsLive(ticket, target)) continue;
    for (const kind of ['warning', 'breach'] as const satisfies readonly AlertKind[]) {
      const runAt = alertTime(ticket, target, kind, settings.policies, pauses, settings.calendar);
      if (!runAt) continue;
      jobs.push({
        name: 'sla-check',
        data: { ticketId: ticket.id, target, kind, dueAt: dueAt.toISOString() },
        jobId: jobId('sla', ticket.id, target, kind, dueAt.getTime()),
        runAt,
        alert: { target, kind, level: 0, dueAt },
      });
    }
  }

  const level = ticket.escalation_level;
  if (
    settings.escalation.enabled &&
    isActiveStatus(ticket.status) &&
    level >= 1 &&
    level < MAX_LEVEL &&
    state.escalated_at &&
    !state.escalation_stopped_at
  ) {
    const next = (level + 1) as 2 | 3;
    jobs.push({
      name: 'escalate',
      data: { ticketId: ticket.id, level: next, since: state.escalated_at.toISOString() },
      jobId: jobId('esc', ticket.id, next, state.escalated_at.getTime()),
      runAt: new Date(state.escalated_at.getTime() + settings.escalation.afterMs[next]),
      alert: { target: 'resolution', kind: 'escalation', level: next, dueAt: state.escalated_at },
    });
  }

  if (ticket.priority === 'P1' && isActiveStatus(ticket.status) && !state.paged_at) {
    jobs.push({
      name: 'page-on-call',
      data: { ticketId: ticket.id },
      jobId: jobId('page', ticket.id),
      runAt: ticket.created_at,
      alert: { target: 'resolution', kind: 'page', level: 0, dueAt: ticket.created_at },
    });
  }

  if (ticket.status === 'pending') {
    const since = state.status_since;
    const nudgeAt = new Date(since.getTime() + settings.lifecycle.nudgeAfterMs);
    jobs.push({
      name: 'pending-nudge',
      data: { ticketId: ticket.id, since: since.toISOString() },
      jobId: jobId('nudge', ticket.id, since.getTime()),
      runAt: nudgeAt,
      alert: { target: 'lifecycle', kind: 'nudge', level: 0, dueAt: since },
    });
    jobs.push({
      name: 'auto-resolve',
      data: { ticketId: ticket.id, since: since.toISOString() },
      jobId: jobId('autoresolve', ticket.id, since.getTime()),
      runAt: new Date(nudgeAt.getTime() + settings.lifecycle.autoResolveAfterMs),
      alert: { target: 'lifecycle', kind: 'auto-resolve', level: 0, dueAt: since },
    });
  }

  if (ticket.status === 'resolved' && ticket.resolved_at) {
    jobs.push({
      name: 'auto-close',
      data: { ticketId: ticket.id, resolvedAt: ticket.resolved_at.toISOString() },
      jobId: jobId('autoclose', ticket.id, ticket.resolved_at.getTime()),
      runAt: new Date(ticket.resolved_at.getTime() + settings.lifecycle.autoCloseAfterMs),
      alert: { target: 'lifecycle', kind: 'auto-close', level: 0, dueAt: ticket.resolved_at },
    });
  }
  return jobs;
}

export function alertKeyString(key: AlertKey): string {
  return `${key.target}/${key.kind}/${key.level}/${key.dueAt.getTime()}`;
}

/** A warning whose breach is already due says nothing new: the breach alone is posted. */
export function dropStaleWarnings(plan: PlannedJob[], now: Date): PlannedJob[] {
  return plan.filter((job) => {
    if (job.name !== 'sla-check' || job.data.kind !== 'warning') return true;
    const breach = plan.find(
      (other) =>
        other.name === 'sla-check' && other.data.kind === 'breach' && other.data.target === job.data.target,
    );
    return !breach || breach.runAt > now;
  });
}

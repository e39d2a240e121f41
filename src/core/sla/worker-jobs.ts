/** The timer job handlers, by job name, for the app's job registry to spread in. */
import type { CoreDeps } from '../deps.ts';
import { handleEscalate, handlePageOnCall } from '../escalation/escalation.handlers.ts';
import type { JobData } from '../jobs/jobs.ts';
import { handleAutoClose, handleAutoResolve, handlePendingNudge } from '../lifecycle/lifecycle.handlers.ts';
import { reconcileTimers } from './reconciler.ts';
import { handleSlaCheck } from './sla.handlers.ts';

export type TimerJobName =
  | 'sla-check'
  | 'escalate'
  | 'page-on-call'
  | 'pending-nudge'
  | 'auto-resolve'
  | 'auto-close'
  | 'reconcile-timers';

export const timerJobHandlers: {
  [N in TimerJobName]: (deps: CoreDeps, data: JobData<N>) => Promise<unknown>;
} = {
  'sla-check': handleSlaCheck,
  escalate: handleEscalate,
  'page-on-call': handlePageOnCall,
  'pending-nudge': handlePendingNudge,
  'auto-resolve': handleAutoResolve,
  'auto-close': handleAutoClose,
  'reconcile-timers': (deps, data) => reconcileTimers(deps, data),
};

export function isTimerJob(name: string): name is TimerJobName {
  return name in timerJobHandlers;
}

/** Runs one timer job by name (tests and the app's registry share this dispatch). */
export function runTimerJob(deps: CoreDeps, name: TimerJobName, data: unknown): Promise<unknown> {
  const handler = timerJobHandlers[name] as (deps: CoreDeps, data: unknown) => Promise<unknown>;
  return handler(deps, data);
}

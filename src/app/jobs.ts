import type { CoreDeps } from '../core/deps.ts';
import { handleEscalate, handlePageOnCall } from '../core/escalation/escalation.handlers.ts';
import { recoverUnfinished } from '../core/inbox/inbox.ts';
import { PermanentJobError } from '../core/jobs/jobs.ts';
import { recoverJsmOps, runJsmOp } from '../core/jsm/jsm.sync.ts';
import {
  handleAutoClose,
  handleAutoResolve,
  handlePendingNudge,
} from '../core/lifecycle/lifecycle.handlers.ts';
import { deliverOutbox } from '../core/outbox/outbox.ts';
import { runRetention } from '../core/privacy/retention.ts';
import { processEvent } from '../core/process/process-event.ts';
import { handleSlaCheck } from '../core/sla/sla.handlers.ts';
import { type ChartRenderer, postDailyDigest } from '../core/stats/digest.ts';
import { reconcileTimers } from '../core/timers/reconciler.ts';
import { deliverWebhook, recoverWebhookDeliveries } from '../core/webhooks/webhook.deliver.ts';
import type { Metrics } from './metrics.ts';
import type { JobHandlers } from './queue.ts';
import { isQueueRuntime, scheduleDigest } from './schedules.ts';

/** Binds every job name to exactly one core handler; the compiler proves none is missing. */
export function jobHandlers(deps: CoreDeps, metrics?: Metrics, chart?: ChartRenderer): JobHandlers {
  return {
    'process-event': (data) => processEvent(deps, data.inboundEventId),
    deliver: async (data) => {
      try {
        const outcome = await deliverOutbox(deps, data.outboxId);
        metrics?.deliveries.inc({ platform: 'any', outcome });
        return outcome;
      } catch (error) {
        metrics?.deliveries.inc({ platform: 'any', outcome: 'retry' });
        throw error;
      }
    },
    recover: async () => {
      const recovered = await recoverUnfinished(deps);
      return { ...recovered, webhooks: await recoverWebhookDeliveries(deps), jsm: await recoverJsmOps(deps) };
    },
    'sla-check': (data) => handleSlaCheck(deps, data),
    escalate: (data) => handleEscalate(deps, data),
    'page-on-call': (data) => handlePageOnCall(deps, data),
    'pending-nudge': (data) => handlePendingNudge(deps, data),
    'auto-resolve': (data) => handleAutoResolve(deps, data),
    'auto-close': (data) => handleAutoClose(deps, data),
    'reconcile-timers': (data) => reconcileTimers(deps, data),
    digest: (data) => postDailyDigest(deps, data, chart),
    'webhook-deliver': (data) => deliverWebhook(deps, data.deliveryId),
    'jsm-sync': (data) => runJsmOp(deps, data.opId),
    'schedule-digest': async () => {
      if (!isQueueRuntime(deps.jobs)) throw new PermanentJobError('the job port cannot hold schedulers');
      return scheduleDigest(deps.jobs, deps.db, deps.log);
    },
    retention: async () => (await runRetention(deps, 'schedule')).counts,
  };
}

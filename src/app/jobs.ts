import { sql } from 'kysely';
import { remindApprovers } from '../core/approvals/approval.service.ts';
import type { Db } from '../core/db.ts';
import type { CoreDeps } from '../core/deps.ts';
import { handleEscalate, handlePageOnCall } from '../core/escalation/escalation.handlers.ts';
import { recoverUnfinished } from '../core/inbox/inbox.ts';
import { PermanentJobError } from '../core/jobs/jobs.ts';
import { recoverJsmOps, runJsmOp } from '../core/jsm/jsm.sync.ts';
import { type Embedder, indexEmbeddings, vectorsAvailable } from '../core/kb/kb.vectors.ts';
import { pruneLlmCache } from '../core/kb/llm-call.repository.ts';
import {
  handleAutoClose,
  handleAutoResolve,
  handlePendingNudge,
} from '../core/lifecycle/lifecycle.handlers.ts';
import { deliverOutbox } from '../core/outbox/deliver.ts';
import { probePauses } from '../core/outbox/pauses.ts';
import { runRetention } from '../core/privacy/retention.ts';
import { processEvent } from '../core/process/process-event.ts';
import { handleSlaCheck } from '../core/sla/sla.handlers.ts';
import { type ChartRenderer, postDailyDigest } from '../core/stats/digest.ts';
import { reconcileTimers } from '../core/timers/reconciler.ts';
import { deliverWebhook, recoverWebhookDeliveries } from '../core/webhooks/webhook.deliver.ts';
import type { Metrics } from './metrics.ts';
import type { JobHandlers } from './queue.ts';
import { isQueueRuntime, scheduleDigest } from './schedules.ts';

/**
 * The messages an inbound event causes directly name it in their idempotency key: its reply
 * (`reply-12`, `answer-12`, `welcome-12`), or the ticket it filed (`ticket-7-ack`, `ticket-7-card-3`),
 * whose `source_event_id` is the event. That is the link from a delivery back to its event.
 */
const EVENT_KEY = '^(reply|answer|welcome)-[0-9]+$';
const TICKET_KEY = '^ticket-[0-9]+-(ack|card-[0-9]+)$';

/** Observes a delivered row's latency on the database clock: since it was written, and since its event. */
async function observeDelivery(db: Db, metrics: Metrics, outboxId: number): Promise<void> {
  const result = await sql<{ platform: string; since_written: number; since_event: number | null }>`
    select o.platform,
      extract(epoch from now() - o.created_at)::float8 as since_written,
      extract(epoch from now() - i.received_at)::float8 as since_event
    from outbox o
    left join tickets t on t.id = case
      when o.idempotency_key ~ ${TICKET_KEY} then substring(o.idempotency_key from '^ticket-([0-9]+)-')::int end
    left join inbound_events i on i.id = coalesce(case
      when o.idempotency_key ~ ${EVENT_KEY} then substring(o.idempotency_key from '[0-9]+$')::bigint end,
      t.source_event_id)
    where o.id = ${outboxId}`.execute(db);
  const row = result.rows[0];
  if (!row) return;
  metrics.outboxToDelivery.observe({ platform: row.platform }, Math.max(0, row.since_written));
  if (row.since_event !== null)
    metrics.eventToDelivery.observe({ platform: row.platform }, Math.max(0, row.since_event));
}

/** Counts a delivery that has just become a dead letter, by its platform and reason. */
async function countDeadDelivery(db: Db, metrics: Metrics, outboxId: number): Promise<void> {
  const row = await db
    .selectFrom('outbox')
    .select(['platform', 'reason'])
    .where('id', '=', outboxId)
    .executeTakeFirst();
  if (row)
    metrics.deadLettered.inc({ kind: 'outbound', platform: row.platform, reason: row.reason ?? 'failed' });
}

/** Counts an inbound event whose failed attempt was its last. */
async function countDeadEvent(db: Db, metrics: Metrics, inboundEventId: number): Promise<void> {
  const row = await db
    .selectFrom('inbound_events')
    .select(['platform', 'status'])
    .where('id', '=', inboundEventId)
    .executeTakeFirst()
    .catch(() => undefined);
  if (row?.status === 'failed')
    metrics.deadLettered.inc({ kind: 'inbound', platform: row.platform, reason: 'processing_failed' });
}

/**
 * Binds every job name to exactly one core handler; the compiler proves none is missing. `embedder`
 * (the configured embeddings model) is what `kb-embed` embeds with; without it that job does nothing.
 */
export function jobHandlers(
  deps: CoreDeps,
  metrics?: Metrics,
  chart?: ChartRenderer,
  embedder?: Embedder,
): JobHandlers {
  return {
    'process-event': async (data) => {
      try {
        return await processEvent(deps, data.inboundEventId);
      } catch (error) {
        if (metrics) await countDeadEvent(deps.db, metrics, data.inboundEventId);
        throw error;
      }
    },
    deliver: async (data, job) => {
      try {
        const outcome = await deliverOutbox(deps, data.outboxId, { final: job.final ?? false });
        metrics?.deliveries.inc({ platform: 'any', outcome });
        if (metrics && outcome === 'sent')
          await observeDelivery(deps.db, metrics, data.outboxId).catch((error) =>
            deps.log.warn({ err: error }, 'could not measure the delivery latency'),
          );
        if (metrics && (outcome === 'failed' || outcome === 'undeliverable'))
          await countDeadDelivery(deps.db, metrics, data.outboxId);
        return outcome;
      } catch (error) {
        metrics?.deliveries.inc({ platform: 'any', outcome: 'retry' });
        throw error;
      }
    },
    recover: async () => {
      const recovered = await recoverUnfinished(deps);
      // The periodic probe of paused workspaces: those whose token works again are resumed.
      const pauses = await probePauses(deps);
      return {
        ...recovered,
        pauses,
        webhooks: await recoverWebhookDeliveries(deps),
        jsm: await recoverJsmOps(deps),
      };
    },
    'sla-check': async (data) => {
      const outcome = await handleSlaCheck(deps, data);
      if (outcome === 'posted') metrics?.slaAlerts.inc({ kind: data.kind, target: data.target });
      return outcome;
    },
    escalate: (data) => handleEscalate(deps, data),
    'page-on-call': (data) => handlePageOnCall(deps, data),
    'pending-nudge': (data) => handlePendingNudge(deps, data),
    'auto-resolve': (data) => handleAutoResolve(deps, data),
    'auto-close': (data) => handleAutoClose(deps, data),
    'reconcile-timers': (data) => reconcileTimers(deps, data),
    digest: (data) => postDailyDigest(deps, data, chart),
    'webhook-deliver': (data) => deliverWebhook(deps, data.deliveryId),
    'jsm-sync': (data) => runJsmOp(deps, data.opId),
    'approval-reminder': () => remindApprovers(deps),
    'schedule-digest': async () => {
      if (!isQueueRuntime(deps.jobs)) throw new PermanentJobError('the job port cannot hold schedulers');
      return scheduleDigest(deps.jobs, deps.db, deps.log);
    },
    retention: async () => (await runRetention(deps, 'schedule')).counts,
    'kb-embed': async () => {
      if (!embedder) return { embedded: 0, skipped: 'no embeddings model' };
      if (!(await vectorsAvailable(deps.db))) return { embedded: 0, skipped: 'no pgvector' };
      return { embedded: await indexEmbeddings(deps.db, embedder) };
    },
    'prune-llm-cache': async () => ({
      deleted: await pruneLlmCache(deps.db, deps.config.llmCacheTtlSeconds ?? 3600, deps.clock.now()),
    }),
  };
}

/**
 * The periodic repair job: walks live tickets in id order, in batches, and re-enqueues any timer
 * job the plan wants and the queue may have lost (deterministic ids make a present job a no-op).
 * It only schedules; acting on a ticket is always left to the timer handlers themselves.
 */
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';
import { enqueuePlan, postedAlerts, stateOf, unposted } from './sla.service.ts';
import { dropStaleWarnings, nextSlaState, type PlannedJob, planTimers } from './sla.timers.ts';
import { loadWorkerSettings } from './worker-settings.ts';

export interface ReconcileOptions {
  batchSize?: number;
  /** Batches per job run; the rest continues in a follow-up job so no run holds a worker for long. */
  batchesPerRun?: number;
}

export interface ReconcileResult {
  scanned: number;
  enqueued: number;
  /** Where the follow-up run starts, or null when the walk is complete. */
  nextAfterId: number | null;
}

export async function reconcileTimers(
  deps: Pick<CoreDeps, 'db' | 'clock' | 'jobs' | 'log'>,
  data: { afterId?: number },
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const batchSize = options.batchSize ?? 500;
  const batchesPerRun = options.batchesPerRun ?? 20;
  const settings = await loadWorkerSettings(deps.db);
  let afterId = data.afterId ?? 0;
  let scanned = 0;
  let enqueued = 0;
  for (let batch = 0; batch < batchesPerRun; batch++) {
    const now = deps.clock.now();
    const tickets = await deps.db
      .selectFrom('tickets')
      .select([
        'id',
        'priority',
        'status',
        'created_at',
        'first_response_at',
        'resolved_at',
        'escalation_level',
      ])
      .where('status', '<>', 'closed')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (tickets.length === 0) return { scanned, enqueued, nextAfterId: null };
    const ids = tickets.map((t) => t.id);
    const states = await deps.db.selectFrom('ticket_sla').selectAll().where('ticket_id', 'in', ids).execute();
    const posted = await postedAlerts(deps.db, ids);
    const jobs: PlannedJob[] = [];
    for (const ticket of tickets) {
      // A ticket without bookkeeping (created before the workers existed) is planned as if new.
      const state =
        stateOf(states.find((s) => s.ticket_id === ticket.id)) ??
        nextSlaState(null, ticket, ticket.created_at);
      jobs.push(...unposted(dropStaleWarnings(planTimers(ticket, state, settings), now), ticket.id, posted));
    }
    await enqueuePlan(deps, jobs, now);
    scanned += tickets.length;
    enqueued += jobs.length;
    afterId = ids[ids.length - 1] ?? afterId;
    if (tickets.length < batchSize) return { scanned, enqueued, nextAfterId: null };
  }
  await deps.jobs.enqueue(
    'reconcile-timers',
    { afterId },
    { jobId: jobId('reconcile', afterId, deps.clock.now().getTime()) },
  );
  return { scanned, enqueued, nextAfterId: afterId };
}

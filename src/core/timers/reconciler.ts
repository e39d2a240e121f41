/**
 * The periodic repair job: walks live tickets in id order, in batches, and re-enqueues any timer
 * job the plan wants and the queue may have lost (deterministic ids make a present job a no-op).
 * It only schedules, with one exception: a ticket whose stored due times no longer match its
 * policy (an admin changed the targets or the calendar) gets the same SLA sync a ticket change
 * runs, so its due times and card move at once. Alerts are always left to the timer handlers.
 */
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';
import { computeDueTimes } from '../sla/sla.policy.ts';
import { enqueuePlan, postedAlerts, stateOf, syncAndRefresh, unposted } from '../sla/sla.service.ts';
import { lockTicket } from '../tickets/ticket.repository.ts';
import { afterCommit, unitOfWork } from '../unit-of-work.ts';
import { dropStaleWarnings, nextSlaState, type PlannedJob, pausesOf, planTimers } from './plan.ts';
import { loadWorkerSettings, type WorkerSettings } from './settings.ts';

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

/** A due time the policy now puts elsewhere; while paused it is unknown (null) and the stored one stays. */
function moved(computed: Date | null, stored: Date | null): boolean {
  return computed !== null && computed.getTime() !== stored?.getTime();
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
        'first_response_due_at',
        'resolution_due_at',
      ])
      .where('status', '<>', 'closed')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (tickets.length === 0) return { scanned, enqueued, nextAfterId: null };
    const ids = tickets.map((t) => t.id);
    const rows = await deps.db.selectFrom('ticket_sla').selectAll().where('ticket_id', 'in', ids).execute();
    const states = new Map(rows.map((row) => [row.ticket_id, row]));
    const posted = await postedAlerts(deps.db, ids);
    const jobs: PlannedJob[] = [];
    const stale: number[] = [];
    for (const ticket of tickets) {
      // A ticket without bookkeeping (created before the workers existed) is planned as if new.
      const state = stateOf(states.get(ticket.id)) ?? nextSlaState(null, ticket, ticket.created_at);
      const due = computeDueTimes(ticket, settings.policies, pausesOf(state), settings.calendar);
      if (
        moved(due.first_response, ticket.first_response_due_at) ||
        moved(due.resolution, ticket.resolution_due_at)
      ) {
        stale.push(ticket.id);
        continue;
      }
      jobs.push(...unposted(dropStaleWarnings(planTimers(ticket, state, settings), now), ticket.id, posted));
    }
    await enqueuePlan(deps, jobs, now);
    for (const id of stale) enqueued += await resync(deps, id, settings);
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

/** Brings one ticket's due times, card and timers up to date, as a ticket change would. */
async function resync(
  deps: Pick<CoreDeps, 'db' | 'clock' | 'jobs' | 'log'>,
  ticketId: number,
  settings: WorkerSettings,
): Promise<number> {
  return unitOfWork(deps, async (tx) => {
    const locked = await lockTicket(tx, ticketId);
    if (!locked || locked.status === 'closed') return 0;
    const { plan } = await syncAndRefresh(tx, deps, locked, settings);
    afterCommit(tx, () => enqueuePlan(deps, plan, deps.clock.now()));
    return plan.length;
  });
}

/**
 * Ticket hygiene: nudge a requester who has left a ticket pending, resolve it when they stay
 * silent, and close resolved tickets after a few days. Each handler re-plans from the ticket's
 * current state, so a reply (which reopens the ticket) cancels what was scheduled.
 */
import type { CoreDeps } from '../deps.ts';
import type { JobData } from '../jobs/jobs.ts';
import { formatDuration } from '../sla/duration.ts';
import { currentPlan, notYet, type TimerOutcome } from '../sla/sla.handlers.ts';
import { claimAlert } from '../sla/sla.service.ts';
import { runTicketHooks } from '../tickets/ticket.hooks.ts';
import { postToRequester, postToTriage, recordEvent, refreshCards } from '../tickets/ticket.repository.ts';
import { unitOfWork } from '../unit-of-work.ts';

export async function handlePendingNudge(
  deps: CoreDeps,
  data: JobData<'pending-nudge'>,
): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    const found = await currentPlan<'pending-nudge'>(
      tx,
      deps,
      data.ticketId,
      (job) => job.name === 'pending-nudge' && job.data.since === data.since,
    );
    if (!found) return 'missing';
    const { ticket, job, settings } = found;
    if (!job) return 'inactive';
    const now = deps.clock.now();
    notYet(job.runAt, now);
    if (!job.alert || !(await claimAlert(tx, ticket.id, job.alert, now))) return 'duplicate';
    const key = `nudge-${ticket.id}-${Date.parse(data.since)}`;
    const wait = formatDuration(settings.lifecycle.autoResolveAfterMs);
    await postToRequester(
      tx,
      ticket,
      {
        text: `👋 IT is still waiting on your reply for #${ticket.number} “${ticket.title}”. Reply here to continue; if we don't hear back within ${wait}, the ticket will be resolved automatically.`,
      },
      key,
    );
    await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: null,
      type: 'nudged',
      at: now,
      after: { since: data.since },
    });
    return 'posted';
  });
}

export async function handleAutoResolve(
  deps: CoreDeps,
  data: JobData<'auto-resolve'>,
): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    const found = await currentPlan<'auto-resolve'>(
      tx,
      deps,
      data.ticketId,
      (job) => job.name === 'auto-resolve' && job.data.since === data.since,
    );
    if (!found) return 'missing';
    const { ticket: before, job } = found;
    if (!job) return 'inactive';
    const now = deps.clock.now();
    notYet(job.runAt, now);
    if (!job.alert || !(await claimAlert(tx, before.id, job.alert, now))) return 'duplicate';
    const resolution = 'Resolved automatically: no reply from the requester.';
    const ticket = await tx
      .updateTable('tickets')
      .set({ status: 'resolved', resolved_at: now, resolution, updated_at: now })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const event = await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: null,
      type: 'resolved',
      at: now,
      before: { status: before.status },
      after: { status: 'resolved', auto: true },
      body: resolution,
    });
    const key = `evt-${event.id}`;
    await postToRequester(
      tx,
      ticket,
      {
        text: `✅ Ticket #${ticket.number} was resolved automatically because we did not hear back. If you still need help, just reply here and it reopens.`,
      },
      key,
    );
    await postToTriage(
      tx,
      ticket,
      { text: `✅ #${ticket.number} was resolved automatically (no reply from the requester).` },
      key,
    );
    await refreshCards(tx, ticket, key);
    await runTicketHooks(tx, deps, { type: 'resolved', ticket, before, actorId: null });
    return 'posted';
  });
}

export async function handleAutoClose(deps: CoreDeps, data: JobData<'auto-close'>): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    const found = await currentPlan<'auto-close'>(
      tx,
      deps,
      data.ticketId,
      (job) => job.name === 'auto-close' && job.data.resolvedAt === data.resolvedAt,
    );
    if (!found) return 'missing';
    // A requester reply reopens the ticket (and clears resolved_at): the plan no longer has this job.
    const { ticket: before, job } = found;
    if (!job) return 'inactive';
    const now = deps.clock.now();
    notYet(job.runAt, now);
    if (!job.alert || !(await claimAlert(tx, before.id, job.alert, now))) return 'duplicate';
    const ticket = await tx
      .updateTable('tickets')
      .set({ status: 'closed', closed_at: now, updated_at: now })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const event = await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: null,
      type: 'closed',
      at: now,
      before: { status: before.status },
      after: { status: 'closed', auto: true },
    });
    await refreshCards(tx, ticket, `evt-${event.id}`);
    await runTicketHooks(tx, deps, { type: 'closed', ticket, before, actorId: null });
    return 'posted';
  });
}

/**
 * Ticket hygiene: nudge a requester who has left a ticket pending, resolve it when they stay
 * silent, and close resolved tickets after a few days. Each handler re-plans from the ticket's
 * current state, so a reply (which reopens the ticket) cancels what was scheduled.
 */
import type { CoreDeps } from '../deps.ts';
import type { JobData } from '../jobs/jobs.ts';
import { formatDuration } from '../sla/duration.ts';
import { claimTimer, type TimerOutcome } from '../sla/timer-claim.ts';
import { runTicketHooks } from '../tickets/ticket.hooks.ts';
import { postToRequester, postToTriage, recordEvent, refreshCards } from '../tickets/ticket.repository.ts';
import { unitOfWork } from '../unit-of-work.ts';

export async function handlePendingNudge(
  deps: CoreDeps,
  data: JobData<'pending-nudge'>,
): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    const claim = await claimTimer(tx, deps, 'pending-nudge', data.ticketId, {
      matches: (job) => job.data.since === data.since,
    });
    if (!claim.ok) return claim.outcome;
    const { ticket, settings, now } = claim;
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
    const claim = await claimTimer(tx, deps, 'auto-resolve', data.ticketId, {
      matches: (job) => job.data.since === data.since,
    });
    if (!claim.ok) return claim.outcome;
    const { ticket: before, now } = claim;
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
    // A requester reply reopens the ticket (and clears resolved_at): the plan no longer has this job.
    const claim = await claimTimer(tx, deps, 'auto-close', data.ticketId, {
      matches: (job) => job.data.resolvedAt === data.resolvedAt,
    });
    if (!claim.ok) return claim.outcome;
    const { ticket: before, now } = claim;
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

/**
 * Ticket hygiene: nudge a requester who has left a ticket pending, resolve it when they stay
 * silent, and close resolved tickets after a few days. Each handler re-plans from the ticket's
 * current state, so a reply (which reopens the ticket) cancels what was scheduled.
 */
import type { CoreDeps } from '../deps.ts';
import { requesterMessages } from '../i18n/choose.ts';
import type { JobData } from '../jobs/jobs.ts';
import { changeTicket, moveTo, SYSTEM } from '../tickets/ticket.change.ts';
import { postToRequester, recordEvent } from '../tickets/ticket.repository.ts';
import { claimTimer, type TimerOutcome } from '../timers/claim.ts';
import { formatDuration } from '../timers/duration.ts';
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
      { text: (await requesterMessages(tx, ticket)).noticeNudge(ticket.number, ticket.title, wait) },
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
    const resolution = 'Resolved automatically: no reply from the requester.';
    const changed = await changeTicket(deps, tx, SYSTEM, data.ticketId, 'agent', (t, now) => {
      const refused = moveTo(t, 'resolved');
      if (refused) return refused;
      return {
        type: 'resolved',
        patch: { status: 'resolved', resolved_at: now, resolution },
        after: { auto: true },
        body: resolution,
        toRequester: (m) => m.noticeAutoResolved(t.number),
        toTriage: `✅ #${t.number} was resolved automatically (no reply from the requester).`,
      };
    });
    return changed.ok ? 'posted' : 'inactive';
  });
}

export async function handleAutoClose(deps: CoreDeps, data: JobData<'auto-close'>): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    // A requester reply reopens the ticket (and clears resolved_at): the plan no longer has this job.
    const claim = await claimTimer(tx, deps, 'auto-close', data.ticketId, {
      matches: (job) => job.data.resolvedAt === data.resolvedAt,
    });
    if (!claim.ok) return claim.outcome;
    const changed = await changeTicket(deps, tx, SYSTEM, data.ticketId, 'agent', (t, now) => {
      const refused = moveTo(t, 'closed');
      if (refused) return refused;
      return { type: 'closed', patch: { status: 'closed', closed_at: now }, after: { auto: true } };
    });
    return changed.ok ? 'posted' : 'inactive';
  });
}

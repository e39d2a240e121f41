/**
 * The escalation ladder after a breach (level 1 is the breach post itself): level 2 posts to the
 * escalation channel, mentions the on-call and raises the priority one step; level 3 notifies the
 * admins. P1 tickets page the on-call at creation. Each step is claimed once in `sla_alerts`.
 */
import type { ConversationRef } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import type { JobData } from '../jobs/jobs.ts';
import {
  adminMentions,
  escalationChannels,
  onCallMention,
  postToChannels,
  triageChannels,
} from '../sla/notify.ts';
import { replan } from '../sla/sla.handlers.ts';
import { raisePriority } from '../sla/sla.policy.ts';
import { claimTimer, type TimerOutcome } from '../sla/timer-claim.ts';
import { runTicketHooks } from '../tickets/ticket.hooks.ts';
import { postToTriage, recordEvent, refreshCards } from '../tickets/ticket.repository.ts';
import { unitOfWork } from '../unit-of-work.ts';

/** Escalation posts go to the escalation channels, or to the triage channels when none is set. */
async function escalationTargets(tx: Tx): Promise<ConversationRef[]> {
  const channels = await escalationChannels(tx);
  return channels.length ? channels : triageChannels(tx);
}

export async function handleEscalate(deps: CoreDeps, data: JobData<'escalate'>): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    const claim = await claimTimer(tx, deps, 'escalate', data.ticketId, {
      check: ({ sync, job }) => {
        if (sync.state.escalation_stopped_at) return 'stopped';
        // The plan wants no escalation (answered, resolved, pending, disabled) or a different step.
        if (!job || job.data.level !== data.level || job.data.since !== data.since) return 'inactive';
        return undefined;
      },
    });
    if (!claim.ok) return claim.outcome;
    const { ticket, settings, now } = claim;

    const key = `esc-${ticket.id}-${data.level}-${Date.parse(data.since)}`;
    const title = `#${ticket.number} “${ticket.title}”`;
    const before = ticket;
    let patch: { escalation_level: number; priority?: typeof ticket.priority } = {
      escalation_level: data.level,
    };
    if (data.level === 2) {
      // A resolution breach escalates too, on a ticket an agent has already answered.
      const state = ticket.first_response_at === null ? 'still unanswered' : 'still not resolved';
      const raised = raisePriority(ticket.priority);
      if (raised !== ticket.priority) patch = { ...patch, priority: raised };
      await postToChannels(
        tx,
        await escalationTargets(tx),
        async (channel) => {
          const onCall = await onCallMention(tx, channel.platform);
          const priority = patch.priority ? ` Priority raised ${ticket.priority} → ${patch.priority}.` : '';
          return {
            text: `🔺 Escalation level 2: ${title} is ${state} after its SLA breach.${priority}${onCall ? ` ${onCall}` : ''}`,
          };
        },
        key,
        ticket.id,
      );
    } else {
      await postToChannels(
        tx,
        await escalationTargets(tx),
        async (channel) => {
          const admins = await adminMentions(tx, channel.platform);
          return {
            text: `🔺🔺 Escalation level 3: ${title} (${ticket.priority}) needs an admin.${admins.length ? ` ${admins.join(' ')}` : ''}`,
          };
        },
        key,
        ticket.id,
      );
    }
    const after = await tx
      .updateTable('tickets')
      .set({ ...patch, updated_at: now })
      .where('id', '=', ticket.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('ticket_sla')
      .set({ escalated_at: now, updated_at: now })
      .where('ticket_id', '=', ticket.id)
      .execute();
    await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: null,
      type: 'escalated',
      at: now,
      visibility: 'internal',
      before: { escalation_level: before.escalation_level, priority: before.priority },
      after: { escalation_level: after.escalation_level, priority: after.priority },
    });
    await postToTriage(tx, after, { text: `🔺 #${ticket.number} escalated to level ${data.level}.` }, key);
    await refreshCards(tx, after, key);
    // Other features see the change like any other; the SLA hook re-plans from the new priority.
    await runTicketHooks(tx, deps, { type: 'escalated', ticket: after, before, actorId: null });
    await replan(tx, deps, ticket.id, settings);
    return 'posted';
  });
}

/** The `page-on-call` job: a new (or newly raised) P1 pages the on-call once. */
export async function handlePageOnCall(deps: CoreDeps, data: JobData<'page-on-call'>): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    // Its run time is the ticket's creation: a page never waits, even on a skewed clock.
    const claim = await claimTimer(tx, deps, 'page-on-call', data.ticketId, { waitUntilDue: false });
    if (!claim.ok) return claim.outcome;
    const { ticket, now } = claim;
    await postToChannels(
      tx,
      await escalationTargets(tx),
      async (channel) => {
        const onCall = await onCallMention(tx, channel.platform);
        return {
          text: `📟 P1 ticket #${ticket.number}: “${ticket.title}”.${onCall ? ` ${onCall}` : ' No on-call is configured (`config on-call @who`).'}`,
        };
      },
      `page-${ticket.id}`,
      ticket.id,
    );
    await tx
      .updateTable('ticket_sla')
      .set({ paged_at: now, updated_at: now })
      .where('ticket_id', '=', ticket.id)
      .execute();
    await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: null,
      type: 'paged',
      at: now,
      visibility: 'internal',
      after: {},
    });
    return 'posted';
  });
}

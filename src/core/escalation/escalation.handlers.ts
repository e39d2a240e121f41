/**
 * The escalation ladder after a breach (level 1 is the breach post itself): level 2 posts to the
 * escalation channel, mentions the on-call and raises the priority one step; level 3 notifies the
 * admins. P1 tickets page the on-call at creation. Each step is claimed once in `sla_alerts`.
 */
import type { ConversationRef, Platform } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import type { JobData } from '../jobs/jobs.ts';
import { postToChannels } from '../outbox/broadcast.ts';
import { triageChannels } from '../settings/settings.ts';
import { raisePriority } from '../sla/sla.policy.ts';
import { markEscalated } from '../sla/sla.service.ts';
import { changeTicket, SYSTEM } from '../tickets/ticket.change.ts';
import { recordEvent } from '../tickets/ticket.repository.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import type { Priority } from '../tickets/ticket.ts';
import { claimTimer, type TimerOutcome } from '../timers/claim.ts';
import { unitOfWork } from '../unit-of-work.ts';
import { adminMentions, escalationChannels, onCallMention } from './notify.ts';

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
    const { ticket, now } = claim;
    const key = `esc-${ticket.id}-${data.level}-${Date.parse(data.since)}`;
    const title = `#${ticket.number} “${ticket.title}”`;
    const raised = data.level === 2 ? raisePriority(ticket.priority) : ticket.priority;
    const changed = await changeTicket(deps, tx, SYSTEM, ticket.id, 'agent', () => ({
      type: 'escalated',
      visibility: 'internal',
      patch: { escalation_level: data.level, priority: raised },
      key,
      toTriage: `🔺 #${ticket.number} escalated to level ${data.level}.`,
      extra: async (inTx) => {
        await postEscalation(inTx, ticket, title, data.level, raised, key);
        await markEscalated(inTx, ticket.id, now);
      },
    }));
    return changed.ok ? 'posted' : 'inactive';
  });
}

/** Level 2 tells the escalation channels and the on-call (and raises the priority); level 3 the admins. */
async function postEscalation(
  tx: Tx,
  ticket: TicketRow,
  title: string,
  level: number,
  raised: Priority,
  key: string,
): Promise<void> {
  // A resolution breach escalates too, on a ticket an agent has already answered.
  const state = ticket.first_response_at === null ? 'still unanswered' : 'still not resolved';
  const priority = raised !== ticket.priority ? ` Priority raised ${ticket.priority} → ${raised}.` : '';
  const text = async (platform: Platform): Promise<string> => {
    if (level === 2) {
      const onCall = await onCallMention(tx, platform);
      return `🔺 Escalation level 2: ${title} is ${state} after its SLA breach.${priority}${onCall ? ` ${onCall}` : ''}`;
    }
    const admins = await adminMentions(tx, platform);
    return `🔺🔺 Escalation level 3: ${title} (${ticket.priority}) needs an admin.${admins.length ? ` ${admins.join(' ')}` : ''}`;
  };
  await postToChannels(
    tx,
    await escalationTargets(tx),
    async (channel) => ({ text: await text(channel.platform) }),
    key,
    ticket.id,
  );
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

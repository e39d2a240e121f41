/**
 * Job handlers for SLA warnings and breaches. Each claims its timer (`claimTimer`: row lock,
 * re-plan, once-only alert row) in the same transaction as its outbox rows, so retries and
 * reconciler runs post once.
 */
import type { OutMessage } from '../chat/chat.ts';
import { mentionPerson } from '../chat/mention.ts';
import type { CoreDeps } from '../deps.ts';
import type { JobData } from '../jobs/jobs.ts';
import { postToChannels } from '../outbox/broadcast.ts';
import { triageChannels } from '../settings/settings.ts';
import { changeTicket, SYSTEM } from '../tickets/ticket.change.ts';
import { postToTicketThreads, recordEvent } from '../tickets/ticket.repository.ts';
import { claimTimer, type TimerOutcome } from '../timers/claim.ts';
import { formatDuration, timeLeft } from '../timers/duration.ts';
import { afterCommit, unitOfWork } from '../unit-of-work.ts';
import { emitWebhookEvent } from '../webhooks/webhook.events.ts';
import { targetMs } from './sla.policy.ts';
import { enqueuePlan, markEscalated } from './sla.service.ts';

const TARGET_LABEL = { first_response: 'first response', resolution: 'resolution' } as const;

export function formatAt(at: Date): string {
  return `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** The `sla-check` job: a 75 % warning or a 100 % breach of one target. */
export async function handleSlaCheck(deps: CoreDeps, data: JobData<'sla-check'>): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    const claim = await claimTimer(tx, deps, 'sla-check', data.ticketId, {
      matches: (job) => job.data.target === data.target && job.data.kind === data.kind,
      check: ({ job }) => {
        if (!job || job.data.dueAt === data.dueAt) return undefined;
        // The due time moved (pause, priority change): make sure the job for the new one exists.
        afterCommit(tx, () => enqueuePlan(deps, [job], deps.clock.now()));
        return 'moved';
      },
    });
    if (!claim.ok) return claim.outcome;
    const { ticket, settings, now } = claim;

    const due = new Date(data.dueAt);
    const label = TARGET_LABEL[data.target];
    const key = `sla-${ticket.id}-${data.target}-${data.kind}-${due.getTime()}`;
    const title = `#${ticket.number} “${ticket.title}” (${ticket.priority})`;
    const mention = (platform: string) => mentionPerson(tx, ticket.assignee_id, platform);
    if (data.kind === 'warning') {
      const left = formatDuration(timeLeft(due.getTime() - now.getTime()));
      const text = `⏰ SLA warning: ${title} — ${label} due in ${left} (${formatAt(due)}).`;
      if (ticket.assignee_id !== null) {
        await postToTicketThreads(
          tx,
          ticket.id,
          async (platform) => ({ text: `${(await mention(platform)) ?? ''} ${text}`.trim() }),
          key,
        );
      } else {
        await postToChannels(
          tx,
          await triageChannels(tx),
          async () => ({ text: `${text} Nobody has claimed it yet.` }),
          key,
          ticket.id,
        );
      }
      await emitWebhookEvent(deps, tx, {
        event: 'sla.warning',
        ticket,
        data: { sla: { target: data.target, due_at: data.dueAt } },
      });
      await recordEvent(tx, {
        ticketId: ticket.id,
        actorId: null,
        type: 'sla_warning',
        at: now,
        visibility: 'internal',
        after: { target: data.target, dueAt: data.dueAt },
      });
      return 'posted';
    }

    const target = formatDuration(targetMs(settings.policies[ticket.priority], data.target));
    const breachText = `🚨 SLA breached: ${title} — no ${label} within ${target} (due ${formatAt(due)}).`;
    const withMention = async (platform: string): Promise<OutMessage> => {
      const who = await mention(platform);
      return { text: who ? `${breachText} ${who}` : `${breachText} Unassigned.` };
    };
    // Level 1 of the ladder is the breach itself; later levels count from here.
    const escalate = settings.escalation.enabled && ticket.escalation_level < 1;
    const changed = await changeTicket(deps, tx, SYSTEM, ticket.id, 'agent', () => ({
      type: 'sla_breached',
      visibility: 'internal',
      patch: escalate ? { escalation_level: 1 } : {},
      after: { target: data.target, dueAt: data.dueAt },
      key,
      // The card marks a breach whether or not the ladder moved.
      refreshCard: true,
      extra: async (inTx) => {
        await postToTicketThreads(inTx, ticket.id, withMention, key);
        await postToChannels(
          inTx,
          await triageChannels(inTx),
          (channel) => withMention(channel.platform),
          `${key}-channel`,
          ticket.id,
        );
        if (escalate) await markEscalated(inTx, ticket.id, now);
      },
    }));
    return changed.ok ? 'posted' : 'inactive';
  });
}

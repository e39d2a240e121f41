/**
 * Job handlers for SLA warnings and breaches. Each claims its timer (`claimTimer`: row lock,
 * re-plan, once-only alert row) in the same transaction as its outbox rows, so retries and
 * reconciler runs post once.
 */
import type { OutMessage } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import type { JobData } from '../jobs/jobs.ts';
import { recordEvent, refreshCards } from '../tickets/ticket.repository.ts';
import { afterCommit, unitOfWork } from '../unit-of-work.ts';
import { formatDuration, timeLeft } from './duration.ts';
import { mentionPerson, postToChannels, postToTicketThreads, triageChannels } from './notify.ts';
import { targetMs } from './sla.policy.ts';
import { enqueuePlan, syncTicketSla } from './sla.service.ts';
import { claimTimer, type TimerOutcome } from './timer-claim.ts';
import type { WorkerSettings } from './worker-settings.ts';

const TARGET_LABEL = { first_response: 'first response', resolution: 'resolution' } as const;

export function formatAt(at: Date): string {
  return `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** Re-plans the ticket after a handler changed it and enqueues what it needs after commit. */
export async function replan(
  tx: Tx,
  deps: CoreDeps,
  ticketId: number,
  settings: WorkerSettings,
): Promise<void> {
  const ticket = await tx
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', ticketId)
    .executeTakeFirstOrThrow();
  const { plan } = await syncTicketSla(tx, deps, ticket, settings);
  afterCommit(tx, () => enqueuePlan(deps, plan, deps.clock.now()));
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
    await postToTicketThreads(tx, ticket.id, withMention, key);
    await postToChannels(
      tx,
      await triageChannels(tx),
      (channel) => withMention(channel.platform),
      `${key}-channel`,
      ticket.id,
    );
    await recordEvent(tx, {
      ticketId: ticket.id,
      actorId: null,
      type: 'sla_breached',
      at: now,
      visibility: 'internal',
      after: { target: data.target, dueAt: data.dueAt },
    });
    // Level 1 of the ladder is the breach itself; later levels count from here.
    let current = ticket;
    if (settings.escalation.enabled && ticket.escalation_level < 1) {
      current = await tx
        .updateTable('tickets')
        .set({ escalation_level: 1, updated_at: now })
        .where('id', '=', ticket.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('ticket_sla')
        .set({ escalated_at: now, updated_at: now })
        .where('ticket_id', '=', ticket.id)
        .execute();
    }
    await refreshCards(tx, current, key);
    await replan(tx, deps, ticket.id, settings);
    return 'posted';
  });
}

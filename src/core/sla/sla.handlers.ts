/**
 * Job handlers for SLA warnings and breaches. Each re-reads the ticket under a row lock, re-plans
 * from the current state and acts only when its alert is still due; the once-only alert row is
 * written in the same transaction as the outbox rows, so retries and reconciler runs post once.
 */
import type { OutMessage } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { type JobData, RetryLaterError } from '../jobs/jobs.ts';
import { lockTicket, recordEvent, refreshCards } from '../tickets/ticket.repository.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { afterCommit, unitOfWork } from '../unit-of-work.ts';
import { formatDuration } from './duration.ts';
import { mentionPerson, postToChannels, postToTicketThreads, triageChannels } from './notify.ts';
import { targetMs } from './sla.policy.ts';
import { claimAlert, enqueuePlan, type SyncResult, syncTicketSla } from './sla.service.ts';
import type { PlannedJob } from './sla.timers.ts';
import { loadWorkerSettings, type WorkerSettings } from './worker-settings.ts';

export type TimerOutcome = 'posted' | 'duplicate' | 'inactive' | 'moved' | 'missing' | 'stopped';

const TARGET_LABEL = { first_response: 'first response', resolution: 'resolution' } as const;

export function formatAt(at: Date): string {
  return `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** A job that fired before its time (clock skew, a moved due) runs again when due. */
export function notYet(runAt: Date, now: Date): void {
  if (now < runAt) throw new RetryLaterError('not due yet', Math.max(10, runAt.getTime() - now.getTime()));
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

/**
 * Common start of every timer handler: lock the ticket, bring its SLA state up to date and find
 * the job of this name the current plan still wants.
 */
export async function currentPlan<N extends PlannedJob['name']>(
  tx: Tx,
  deps: CoreDeps,
  ticketId: number,
  matches: (job: PlannedJob) => boolean,
): Promise<
  | {
      ticket: TicketRow;
      sync: SyncResult;
      job: Extract<PlannedJob, { name: N }> | undefined;
      settings: WorkerSettings;
    }
  | undefined
> {
  const locked = await lockTicket(tx, ticketId);
  if (!locked) return undefined;
  const settings = await loadWorkerSettings(tx);
  const sync = await syncTicketSla(tx, deps, locked, settings);
  const job = sync.plan.find(matches) as Extract<PlannedJob, { name: N }> | undefined;
  return { ticket: sync.ticket, sync, job, settings };
}

/** The `sla-check` job: a 75 % warning or a 100 % breach of one target. */
export async function handleSlaCheck(deps: CoreDeps, data: JobData<'sla-check'>): Promise<TimerOutcome> {
  return unitOfWork(deps, async (tx) => {
    const found = await currentPlan<'sla-check'>(
      tx,
      deps,
      data.ticketId,
      (job) => job.name === 'sla-check' && job.data.target === data.target && job.data.kind === data.kind,
    );
    if (!found) return 'missing';
    const { ticket, job, settings } = found;
    if (!job) return 'inactive';
    const now = deps.clock.now();
    if (job.data.dueAt !== data.dueAt) {
      // The due time moved (pause, priority change): make sure the job for the new one exists.
      afterCommit(tx, () => enqueuePlan(deps, [job], deps.clock.now()));
      return 'moved';
    }
    notYet(job.runAt, now);
    if (!job.alert || !(await claimAlert(tx, ticket.id, job.alert, now))) return 'duplicate';

    const due = new Date(data.dueAt);
    const label = TARGET_LABEL[data.target];
    const key = `sla-${ticket.id}-${data.target}-${data.kind}-${due.getTime()}`;
    const title = `#${ticket.number} “${ticket.title}” (${ticket.priority})`;
    const mention = (platform: string) => mentionPerson(tx, ticket.assignee_id, platform);
    if (data.kind === 'warning') {
      const left = formatDuration(
        Math.max(60_000, Math.round((due.getTime() - now.getTime()) / 60_000) * 60_000),
      );
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

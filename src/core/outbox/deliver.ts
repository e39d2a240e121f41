import { sql } from 'kysely';
import type { Platform } from '../chat/chat.ts';
import type { Notifiers } from '../chat/notifier.ts';
import { removedMessage } from '../conversations/installation.ts';
import { type DbOrTx, json } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { asHelpdeskError } from '../errors.ts';
import { RetryLaterError } from '../jobs/jobs.ts';
import { inSpan, type TraceSpan } from '../tracing.ts';
import { unitOfWork } from '../unit-of-work.ts';
import { invokeAnswerHold } from './invoke-answer.ts';
import { lookAt } from './outbox.repository.ts';
import type { OutboxRow } from './outbox.table.ts';
import { wakeAfter } from './outbox.ts';
import { pauseDeliveries } from './pauses.ts';
import { resolveDelivery } from './resolve-delivery.ts';

/**
 * How long one delivery attempt holds its row: longer than any attempt takes (a 10 s request
 * timeout), short enough that a row a killed worker held waits no longer than this.
 */
export const LOCK_MS = 30_000;

/**
 * Platforms only a process of their own can show: the terminal console prints in the process the
 * person types in. Any other process leaves their rows pending for it (see `deliverPendingOf`),
 * where a row of any other platform without a notifier fails.
 */
const OWN_PROCESS_PLATFORMS: readonly Platform[] = ['console'];

/**
 * `waiting`: an earlier message of its lane (or the message it threads under) is not sent yet; the
 * job ends and that message's delivery wakes this one. `paused`: its workspace's token is refused;
 * the row waits for a probe (see pauses.ts) to lift the pause.
 */
export type DeliverOutcome =
  | 'sent'
  | 'skipped'
  | 'failed'
  | 'superseded'
  | 'undeliverable'
  | 'waiting'
  | 'paused';

export interface DeliverContext {
  /** This is the last attempt the queue will make: a transient failure now makes a dead letter. */
  final?: boolean;
}

type DeliverDeps = Pick<CoreDeps, 'db' | 'clock' | 'log' | 'jobs'> & { notifiers: Notifiers };

/**
 * Sends one outbox row through its platform's notifier. Keeps each lane in order, resolves thread
 * and update targets from earlier rows, and records permanent failures on the ticket timeline. A
 * rate limit is waited out (RetryLaterError, never sooner than Retry-After, not an attempt); a
 * transient failure is thrown for the queue to retry with backoff, until `final`. Safe to run twice:
 * a sent row is skipped.
 */
export function deliverOutbox(
  deps: DeliverDeps,
  outboxId: number,
  context: DeliverContext = {},
): Promise<DeliverOutcome> {
  return inSpan('outbox deliver', { 'helpdesk.outbox.id': outboxId }, async (span) => {
    try {
      const outcome = await deliverRow(deps, outboxId, span, context);
      span.set({ 'helpdesk.delivery.outcome': outcome });
      return outcome;
    } catch (error) {
      span.set({ 'helpdesk.delivery.outcome': error instanceof RetryLaterError ? 'retry' : 'error' });
      throw error;
    }
  });
}

async function deliverRow(
  deps: DeliverDeps,
  outboxId: number,
  span: TraceSpan,
  context: DeliverContext,
): Promise<DeliverOutcome> {
  // Read-only checks first, in one query: a row that must wait is never locked, so the delivery
  // that wakes it (below, `wakeAfter`) never finds it held.
  const now = deps.clock.now();
  const pending = await lookAt(deps.db, outboxId);
  if (!pending) return 'skipped';
  // A press's private answer waits while the platform can still show it as the press's own answer.
  const hold = await invokeAnswerHold(deps.db, pending);
  if (hold > 0) throw new RetryLaterError('held for the invoke answer', hold);
  if (pending.next_attempt_at && pending.next_attempt_at > now) {
    throw new RetryLaterError(
      `outbox ${outboxId} may not be sent before ${pending.next_attempt_at.toISOString()}`,
      pending.next_attempt_at.getTime() - now.getTime(),
    );
  }
  if (pending.earlier_pending) return 'waiting';
  if (pending.paused_reason !== null) return 'paused';
  if (pending.parent_status === 'pending') return 'waiting';

  const elsewhere = OWN_PROCESS_PLATFORMS.filter((platform) => !deps.notifiers[platform]);
  let lock = deps.db
    .updateTable('outbox')
    .set({ locked_until: new Date(now.getTime() + LOCK_MS), attempts: sql`attempts + 1` })
    .where('id', '=', outboxId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]));
  if (elsewhere.length) lock = lock.where('platform', 'not in', elsewhere);
  const row = await lock.returningAll().executeTakeFirst();
  if (!row) return heldElsewhere(deps, outboxId, now);
  span.set({
    'helpdesk.platform': row.platform,
    'helpdesk.outbox.op': row.op,
    'helpdesk.outbox.purpose': row.purpose ?? undefined,
    'helpdesk.delivery.attempt': row.attempts,
  });
  const release = (fields: Record<string, unknown> = {}) =>
    deps.db
      .updateTable('outbox')
      .set({ locked_until: null, ...fields })
      .where('id', '=', outboxId)
      .execute();
  const finished = async <O extends DeliverOutcome>(outcome: O): Promise<O> => {
    await wakeAfter(deps, row);
    return outcome;
  };

  if (row.op === 'update' && row.update_of) {
    const newer = await deps.db
      .selectFrom('outbox')
      .select('id')
      .where('update_of', '=', row.update_of)
      .where('status', '=', 'pending')
      .where('id', '>', row.id)
      .limit(1)
      .executeTakeFirst();
    if (newer) {
      await release({ status: 'sent', last_error: `superseded by ${newer.id}`, sent_at: now });
      return finished('superseded');
    }
  }

  // The bot was removed from there: keep the message, with why, instead of failing and retrying.
  const removed = removedMessage({ channel: pending.removed_channel, reason: pending.removed_reason });
  if (removed) {
    await fail(deps, row, removed, 'bot_removed', 'undeliverable');
    return finished('undeliverable');
  }

  const resolved = await resolveDelivery(deps, row);
  if (resolved.kind === 'wait') {
    await release({ attempts: sql`attempts - 1` });
    return 'waiting';
  }
  if (resolved.kind === 'fail') {
    await fail(deps, row, resolved.reason, 'unresolvable');
    return finished('failed');
  }

  const notifier = deps.notifiers[row.platform as keyof Notifiers];
  if (!notifier) {
    await fail(deps, row, `no ${row.platform} notifier is configured`, 'no_notifier');
    return finished('failed');
  }
  let receipt: Awaited<ReturnType<typeof notifier.deliver>>;
  try {
    receipt = await notifier.deliver(resolved.delivery);
  } catch (thrown) {
    return failedDelivery(deps, row, thrown, context, release, finished);
  }
  // The platform has it: the row must say so, or the next attempt posts it again. A database that is
  // restarting refuses the write for a few seconds, so it is retried well within the row's lock.
  const markSent = (db: DbOrTx) =>
    db
      .updateTable('outbox')
      .set({
        status: 'sent',
        sent_at: deps.clock.now(),
        locked_until: null,
        last_error: null,
        next_attempt_at: null,
        platform_message_id: receipt.messageId ?? null,
      })
      .where('id', '=', outboxId)
      .execute();
  const { messageId } = receipt;
  await persistently(deps, `recording outbox ${outboxId} as sent`, () =>
    // A ticket's card also names the thread its replies go to, in the same transaction.
    row.purpose === 'ticket-card' && messageId
      ? unitOfWork(deps, async (tx) => {
          await markSent(tx);
          await tx
            .updateTable('ticket_threads')
            .set({ thread: messageId })
            .where('card_outbox_id', '=', outboxId)
            .where('thread', 'is', null)
            .execute();
        })
      : markSent(deps.db),
  );
  return finished('sent');
}

/** How long the record of a message the platform accepted is retried before the job gives up. */
export const SENT_RECORD_RETRY_MS = 20_000;

/**
 * Runs `write` until it succeeds or SENT_RECORD_RETRY_MS have passed (well inside LOCK_MS, so no
 * other worker takes the row meanwhile), waiting 250 ms doubling to 2 s between tries.
 */
async function persistently(
  deps: Pick<CoreDeps, 'log'>,
  what: string,
  write: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + SENT_RECORD_RETRY_MS;
  for (let waitMs = 250; ; waitMs = Math.min(waitMs * 2, 2000)) {
    try {
      await write();
      return;
    } catch (error) {
      if (Date.now() + waitMs > deadline) {
        deps.log.error({ err: error }, `${what} failed for good: the message may be sent again`);
        throw error;
      }
      deps.log.warn({ err: (error as Error)?.message ?? String(error) }, `${what} failed; retrying`);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** What a failed send means for the row: a wait, a pause, a dead letter, or a retry by the queue. */
async function failedDelivery(
  deps: DeliverDeps,
  row: OutboxRow,
  thrown: unknown,
  context: DeliverContext,
  release: (fields?: Record<string, unknown>) => Promise<unknown>,
  finished: <O extends DeliverOutcome>(outcome: O) => Promise<O>,
): Promise<DeliverOutcome> {
  const error = asHelpdeskError(thrown);
  const reason = error.reason ?? error.code;
  if (error.waitFor === 'authorization') {
    // Not this message's fault: every delivery to the workspace waits for its token to work.
    await pauseDeliveries(deps, row.platform, row.target.tenant, reason);
    await release({ attempts: sql`attempts - 1`, last_error: error.message });
    return 'paused';
  }
  if (error.waitFor === 'rate_limit') {
    // Waiting out a rate limit is not a failed attempt, and never ends sooner than Retry-After.
    const waitMs = Math.max(1000, Math.ceil((error.retryAfter ?? 1) * 1000));
    await release({
      attempts: sql`attempts - 1`,
      last_error: error.message,
      next_attempt_at: new Date(deps.clock.now().getTime() + waitMs),
    });
    throw new RetryLaterError(`rate limited, retrying: ${error.message}`, waitMs);
  }
  if (error.code === 'permanent_delivery_failure') {
    await fail(deps, row, error.message, reason);
    return finished('failed');
  }
  if (context.final) {
    await fail(deps, row, `gave up retrying: ${error.message}`, 'retries_exhausted');
    return finished('failed');
  }
  // The queue retries it with backoff (at least the Retry-After a 503 may carry).
  const notBefore =
    error.retryAfter === undefined ? null : new Date(deps.clock.now().getTime() + error.retryAfter * 1000);
  await release({ last_error: error.message, next_attempt_at: notBefore });
  throw error;
}

/**
 * Why a row could not be locked: done (sent, failed) or not ours to send is `skipped`; a row another
 * delivery holds is tried again when that lock expires, so a holder that died (a killed worker)
 * delays it by at most LOCK_MS; a row not due yet waits until it is.
 */
async function heldElsewhere(
  deps: Pick<CoreDeps, 'db'>,
  outboxId: number,
  now: Date,
): Promise<DeliverOutcome> {
  const row = await deps.db
    .selectFrom('outbox')
    .select(['status', 'locked_until', 'platform', 'next_attempt_at'])
    .where('id', '=', outboxId)
    .executeTakeFirst();
  if (row?.status !== 'pending') return 'skipped';
  if (OWN_PROCESS_PLATFORMS.includes(row.platform as Platform)) return 'skipped';
  const until = Math.max(row.locked_until?.getTime() ?? 0, row.next_attempt_at?.getTime() ?? 0);
  if (until <= now.getTime()) return 'skipped';
  throw new RetryLaterError(`outbox ${outboxId} is being delivered elsewhere`, until - now.getTime() + 100);
}

/**
 * Delivers the pending rows of a platform this process shows itself (the console), in the order
 * they were written: it stops at the first row it cannot send now (another delivery holds it, or
 * it must wait for an earlier message), so it never overtakes one. Returns how many it sent.
 */
export async function deliverPendingOf(deps: DeliverDeps, platform: Platform, limit = 50): Promise<number> {
  const rows = await deps.db
    .selectFrom('outbox')
    .select(['id', 'locked_until'])
    .where('platform', '=', platform)
    .where('status', '=', 'pending')
    .orderBy('id')
    .limit(limit)
    .execute();
  let sent = 0;
  for (const row of rows) {
    if (row.locked_until && row.locked_until > deps.clock.now()) break;
    try {
      const outcome = await deliverOutbox(deps, row.id);
      if (outcome === 'skipped' || outcome === 'waiting' || outcome === 'paused') break;
      if (outcome === 'sent') sent++;
    } catch (error) {
      if (error instanceof RetryLaterError) break;
      if (asHelpdeskError(error).code === 'transient_delivery_failure') break;
      throw error;
    }
  }
  return sent;
}

async function fail(
  deps: Pick<CoreDeps, 'db' | 'clock' | 'log' | 'jobs'>,
  row: OutboxRow,
  message: string,
  reason: string,
  status: 'failed' | 'undeliverable' = 'failed',
) {
  deps.log.warn(
    { outboxId: row.id, platform: row.platform, reason },
    status === 'failed' ? 'delivery failed permanently' : 'delivery kept as undeliverable',
  );
  await unitOfWork(deps, async (tx) => {
    await tx
      .updateTable('outbox')
      .set({ status, last_error: message, reason, locked_until: null, next_attempt_at: null })
      .where('id', '=', row.id)
      .execute();
    if (row.ticket_id !== null) {
      await tx
        .insertInto('ticket_events')
        .values({
          ticket_id: row.ticket_id,
          actor_id: null,
          type: 'delivery_failed',
          visibility: 'internal',
          before: null,
          after: json({ outboxId: row.id, platform: row.platform, channel: row.target.channel }),
          body: `Could not deliver a message to ${row.platform} ${row.target.channel}: ${message}`,
          created_at: deps.clock.now(),
        })
        .execute();
    }
  });
}

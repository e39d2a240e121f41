import { sql } from 'kysely';
import type { ConversationRef, Dialog, OutMessage, Platform } from '../chat/chat.ts';
import type { Delivery, Notifiers } from '../chat/notifier.ts';
import { removedReason } from '../conversations/installation.ts';
import { json, type Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { asHelpdeskError } from '../errors.ts';
import { RetryLaterError } from '../jobs/jobs.ts';
import { inSpan, type TraceSpan } from '../tracing.ts';
import { registerOutbox, unitOfWork } from '../unit-of-work.ts';
import { invokeAnswerHold } from './invoke-answer.ts';
import type { OutboxBody, OutboxOp, OutboxRow } from './outbox.table.ts';

export const MAX_DELIVERY_ATTEMPTS = 8;
/**
 * How long one delivery attempt holds its row: longer than any attempt takes (a 10 s request
 * timeout, at most 5 s in the Teams pacer), short enough that a row a killed worker held, and the
 * conversation queued behind it, wait no longer than this.
 */
export const LOCK_MS = 30_000;

/** How many earlier rows of a lane a waiting delivery counts to space its next look. */
const LANE_LOOKAHEAD = 100;
const LANE_STEP_MS = 300;

/**
 * How long a delivery waits before looking again when `ahead` rows of its conversation are still
 * unsent: the next in line looks every 300 ms, the rest in proportion to their place (at most
 * 30 s). A burst of cards in one triage channel otherwise had every waiting row poll three times a
 * second, and the polls crowded out the deliveries they waited for.
 */
export function laneWaitMs(ahead: number): number {
  return Math.min(LANE_STEP_MS * Math.max(1, ahead), LANE_LOOKAHEAD * LANE_STEP_MS);
}

/**
 * Platforms only a process of their own can show: the terminal console prints in the process the
 * person types in. Any other process leaves their rows pending for it (see `deliverPendingOf`),
 * where a row of any other platform without a notifier fails.
 */
const OWN_PROCESS_PLATFORMS: readonly Platform[] = ['console'];

export interface QueueMessageInput {
  /** Unique per intended message: a retried use case writes the same key and is a no-op. */
  key: string;
  op: OutboxOp;
  target: ConversationRef;
  message?: OutMessage;
  messages?: OutMessage[];
  dialog?: Dialog;
  userId?: string;
  triggerId?: string;
  ticketId?: number;
  purpose?: string;
  /** Post into the thread that this earlier outbox row started. */
  threadOf?: number;
  /** Replace the message that this earlier outbox row posted. */
  updateOf?: number;
}

/** Lane = the conversation (or thread) whose messages must arrive in order. */
function laneOf(input: QueueMessageInput): string {
  const thread = input.threadOf ? `o${input.threadOf}` : (input.target.thread ?? '');
  return `${input.target.platform}:${input.target.channel}:${thread}`;
}

/** Writes an outgoing message in the caller's transaction; delivery starts after commit. */
export async function queueMessage(tx: Tx, input: QueueMessageInput): Promise<number | undefined> {
  const body: OutboxBody = {
    message: input.message,
    messages: input.messages,
    dialog: input.dialog,
    userId: input.userId,
    triggerId: input.triggerId,
  };
  const row = await tx
    .insertInto('outbox')
    .values({
      idempotency_key: input.key,
      platform: input.target.platform,
      op: input.op,
      target: json(input.target),
      lane: laneOf(input),
      body: json(body),
      ticket_id: input.ticketId ?? null,
      purpose: input.purpose ?? null,
      thread_of: input.threadOf ?? null,
      update_of: input.updateOf ?? null,
      last_error: null,
      locked_until: null,
      platform_message_id: null,
      sent_at: null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return undefined;
  registerOutbox(tx, row.id);
  return row.id;
}

export type DeliverOutcome = 'sent' | 'skipped' | 'failed' | 'superseded' | 'undeliverable';

/**
 * Sends one outbox row through its platform's notifier. Keeps each lane in order, resolves thread
 * and update targets from earlier rows, retries transient failures with backoff and records
 * permanent ones on the ticket timeline. Safe to run twice: a sent row is skipped.
 */
export function deliverOutbox(
  deps: Pick<CoreDeps, 'db' | 'clock' | 'log' | 'jobs'> & { notifiers: Notifiers },
  outboxId: number,
): Promise<DeliverOutcome> {
  return inSpan('outbox deliver', { 'helpdesk.outbox.id': outboxId }, async (span) => {
    try {
      const outcome = await deliverRow(deps, outboxId, span);
      span.set({ 'helpdesk.delivery.outcome': outcome });
      return outcome;
    } catch (error) {
      span.set({ 'helpdesk.delivery.outcome': error instanceof RetryLaterError ? 'retry' : 'error' });
      throw error;
    }
  });
}

async function deliverRow(
  deps: Pick<CoreDeps, 'db' | 'clock' | 'log' | 'jobs'> & { notifiers: Notifiers },
  outboxId: number,
  span: TraceSpan,
): Promise<DeliverOutcome> {
  const now = deps.clock.now();
  // A press's private answer waits while the platform can still show it as the press's own answer
  // (wall time: it is measured against when the database recorded the press).
  const hold = await invokeAnswerHold(deps.db, outboxId, new Date());
  if (hold > 0) throw new RetryLaterError('held for the invoke answer', hold);
  const elsewhere = OWN_PROCESS_PLATFORMS.filter((platform) => !deps.notifiers[platform]);
  let lock = deps.db
    .updateTable('outbox')
    .set({ locked_until: new Date(now.getTime() + LOCK_MS), attempts: sql`attempts + 1` })
    .where('id', '=', outboxId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]));
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

  const earlier = await deps.db
    .selectFrom('outbox')
    .select('id')
    .where('lane', '=', row.lane)
    .where('status', '=', 'pending')
    .where('id', '<', row.id)
    .orderBy('id')
    .limit(LANE_LOOKAHEAD)
    .execute();
  if (earlier.length) {
    await release({ attempts: sql`attempts - 1` });
    throw new RetryLaterError(
      `waiting for outbox ${earlier[0]?.id} in the same conversation`,
      laneWaitMs(earlier.length),
    );
  }

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
      return 'superseded';
    }
  }

  // The bot was removed from there: keep the message, with why, instead of failing and retrying.
  const removed = await removedReason(deps.db, row.target);
  if (removed) {
    await fail(deps, row, removed, 'undeliverable');
    return 'undeliverable';
  }

  const resolved = await resolveDelivery(deps, row);
  if (resolved.kind === 'wait') {
    await release({ attempts: sql`attempts - 1` });
    throw new RetryLaterError(resolved.reason, 500);
  }
  if (resolved.kind === 'fail') {
    await fail(deps, row, resolved.reason);
    return 'failed';
  }

  const notifier = deps.notifiers[row.platform as keyof Notifiers];
  if (!notifier) {
    await fail(deps, row, `no ${row.platform} notifier is configured`);
    return 'failed';
  }
  try {
    const receipt = await notifier.deliver(resolved.delivery);
    await unitOfWork(deps, async (tx) => {
      await tx
        .updateTable('outbox')
        .set({
          status: 'sent',
          sent_at: deps.clock.now(),
          locked_until: null,
          last_error: null,
          platform_message_id: receipt.messageId ?? null,
        })
        .where('id', '=', outboxId)
        .execute();
      if (row.purpose === 'ticket-card' && receipt.messageId) {
        await tx
          .updateTable('ticket_threads')
          .set({ thread: receipt.messageId })
          .where('card_outbox_id', '=', outboxId)
          .where('thread', 'is', null)
          .execute();
      }
    });
    return 'sent';
  } catch (thrown) {
    const error = asHelpdeskError(thrown);
    if (error.code === 'permanent_delivery_failure' || row.attempts >= MAX_DELIVERY_ATTEMPTS) {
      await fail(deps, row, error.message);
      return 'failed';
    }
    await release({ last_error: error.message });
    const backoff = Math.min(60_000, 500 * 2 ** (row.attempts - 1)) * (0.8 + Math.random() * 0.4);
    const delay = error.retryAfter !== undefined ? error.retryAfter * 1000 : backoff;
    throw new RetryLaterError(`delivery failed, retrying: ${error.message}`, Math.max(50, Math.round(delay)));
  }
}

/**
 * Why a row could not be locked: done (sent, failed) or not ours to send is `skipped`; a row another
 * delivery holds is tried again when that lock expires, so a holder that died (a killed worker)
 * delays it by at most LOCK_MS and never leaves it to wait for a recovery run.
 */
async function heldElsewhere(
  deps: Pick<CoreDeps, 'db'>,
  outboxId: number,
  now: Date,
): Promise<DeliverOutcome> {
  const row = await deps.db
    .selectFrom('outbox')
    .select(['status', 'locked_until', 'platform'])
    .where('id', '=', outboxId)
    .executeTakeFirst();
  if (row?.status !== 'pending' || !row.locked_until || row.locked_until <= now) return 'skipped';
  if (OWN_PROCESS_PLATFORMS.includes(row.platform as Platform)) return 'skipped';
  throw new RetryLaterError(
    `outbox ${outboxId} is being delivered elsewhere`,
    row.locked_until.getTime() - now.getTime() + 100,
  );
}

/**
 * Delivers the pending rows of a platform this process shows itself (the console), in the order
 * they were written: it stops at the first row it cannot send now (another delivery holds it, or
 * it must wait for an earlier message), so it never overtakes one. Returns how many it sent.
 */
export async function deliverPendingOf(
  deps: Pick<CoreDeps, 'db' | 'clock' | 'log' | 'jobs'> & { notifiers: Notifiers },
  platform: Platform,
  limit = 50,
): Promise<number> {
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
      if (outcome === 'skipped') break;
      if (outcome === 'sent') sent++;
    } catch (error) {
      if (error instanceof RetryLaterError) break;
      throw error;
    }
  }
  return sent;
}

type Resolved =
  | { kind: 'ok'; delivery: Delivery }
  | { kind: 'wait'; reason: string }
  | { kind: 'fail'; reason: string };

async function resolveDelivery(deps: Pick<CoreDeps, 'db'>, row: OutboxRow): Promise<Resolved> {
  let target = row.target;
  if (row.thread_of) {
    const root = await messageIdOf(deps, row.thread_of);
    if (root.kind !== 'ok') return root;
    target = { ...target, thread: root.messageId };
  }
  const body = row.body;
  switch (row.op) {
    case 'post':
      return { kind: 'ok', delivery: { op: 'post', target, message: body.message ?? { text: '' } } };
    case 'ephemeral':
      return {
        kind: 'ok',
        delivery: {
          op: 'ephemeral',
          target,
          userId: body.userId ?? '',
          message: body.message ?? { text: '' },
        },
      };
    case 'dialog':
      if (!body.dialog) return { kind: 'fail', reason: 'dialog without a form' };
      return {
        kind: 'ok',
        delivery: { op: 'dialog', target, triggerId: body.triggerId ?? '', dialog: body.dialog },
      };
    case 'home':
      return {
        kind: 'ok',
        delivery: { op: 'home', target, userId: body.userId ?? '', messages: body.messages ?? [] },
      };
    case 'update': {
      if (!row.update_of) return { kind: 'fail', reason: 'update without a message to update' };
      const original = await messageIdOf(deps, row.update_of);
      if (original.kind !== 'ok') return original;
      return {
        kind: 'ok',
        delivery: {
          op: 'update',
          target,
          messageId: original.messageId,
          message: body.message ?? { text: '' },
        },
      };
    }
  }
}

async function messageIdOf(
  deps: Pick<CoreDeps, 'db'>,
  outboxId: number,
): Promise<
  { kind: 'ok'; messageId: string } | { kind: 'wait'; reason: string } | { kind: 'fail'; reason: string }
> {
  const root = await deps.db
    .selectFrom('outbox')
    .select(['status', 'platform_message_id'])
    .where('id', '=', outboxId)
    .executeTakeFirst();
  if (!root) return { kind: 'fail', reason: `outbox ${outboxId} does not exist` };
  if (root.status === 'pending') return { kind: 'wait', reason: `waiting for outbox ${outboxId} to be sent` };
  if (root.status !== 'sent' || !root.platform_message_id) {
    return { kind: 'fail', reason: `the message of outbox ${outboxId} was never posted` };
  }
  return { kind: 'ok', messageId: root.platform_message_id };
}

async function fail(
  deps: Pick<CoreDeps, 'db' | 'clock' | 'log' | 'jobs'>,
  row: OutboxRow,
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
      .set({ status, last_error: reason, locked_until: null })
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
          body: `Could not deliver a message to ${row.platform} ${row.target.channel}: ${reason}`,
          created_at: deps.clock.now(),
        })
        .execute();
    }
  });
}

import { sql } from 'kysely';
import type { ConversationRef, Dialog, OutMessage } from '../chat/chat.ts';
import { json, type Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';
import { registerOutbox } from '../unit-of-work.ts';
import type { OutboxBody, OutboxOp, OutboxRow } from './outbox.table.ts';

/**
 * The outbox: every outgoing message is a row written in the transaction that decided it, in a lane
 * that keeps its order. Sending is deliver.ts; this file writes rows and wakes the ones that waited.
 */

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

/**
 * Lane = the messages that must arrive in order: a thread, a DM. A message threaded under or
 * updating an earlier row takes that row's lane, so a ticket's replies and card refreshes follow its
 * card. A new top-level post in a channel (a ticket's card in the triage channel) starts a lane of its
 * own: cards for different tickets do not wait for one another.
 */
function laneOf(input: QueueMessageInput): string {
  const { platform, channel, thread, isDirect } = input.target;
  if (thread) return `${platform}:${channel}:${thread}`;
  if (input.op === 'post' && !isDirect) return `${platform}:${channel}:#${input.key}`;
  return `${platform}:${channel}:`;
}

/** The lane of the row a message threads under or updates, or its own when that row is gone. */
function laneExpression(input: QueueMessageInput) {
  const parent = input.updateOf ?? input.threadOf;
  const own = laneOf(input);
  if (!parent) return own;
  return sql<string>`coalesce((select o.lane from outbox o where o.id = ${parent}), ${own})`;
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
      lane: laneExpression(input),
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

/**
 * Wakes what waited for `row` once it is done (sent, failed, superseded): the next pending row of
 * its lane, and the first pending row of each lane threaded under or updating it. Their jobs ended
 * `waiting`; new ones start now. Deterministic ids: waking twice is a no-op. A wake the queue loses
 * is found by the recovery sweep (the row is then the head of its lane with no live job).
 */
export async function wakeAfter(
  deps: Pick<CoreDeps, 'db' | 'jobs' | 'log'>,
  row: Pick<OutboxRow, 'id' | 'lane'>,
): Promise<number[]> {
  // The next in its lane, and the first of each lane waiting for it: one round trip.
  const next = deps.db
    .selectFrom('outbox')
    .select('id')
    .where('lane', '=', row.lane)
    .where('status', '=', 'pending')
    .where('id', '>', row.id)
    .orderBy('id')
    .limit(1);
  const dependants = deps.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('thread_of', '=', row.id), eb('update_of', '=', row.id)]))
    .groupBy('lane')
    .limit(100);
  const found = await deps.db
    .selectFrom(next.as('next'))
    .select('next.id')
    .unionAll(deps.db.selectFrom(dependants.as('dependants')).select('dependants.id'))
    .execute();
  const ids = [...new Set(found.map((each) => Number(each.id)))];
  for (const id of ids) {
    try {
      await deps.jobs.enqueue('deliver', { outboxId: id }, { jobId: jobId('deliver', id, 'after', row.id) });
    } catch (error) {
      deps.log.warn({ err: error, outboxId: id }, 'could not wake a waiting delivery; recovery will');
    }
  }
  return ids;
}

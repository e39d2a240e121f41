import { sql } from 'kysely';
import type { OutMessage } from '../chat/chat.ts';
import type { DbOrTx } from '../db.ts';
import type { OutboxRow } from './outbox.table.ts';

/** A message the bot posted, named the way the platform names it. */
export interface PostedMessage {
  platform: string;
  /** The conversation it was posted in (a Teams reply chain belongs to its channel). */
  channel: string;
  /** The platform's id of the message (Slack ts, Teams activity id). */
  messageId: string;
}

/**
 * The outbox row that posted a message, found by the platform's id for it. Updates record that id
 * too; the post is the row that created the message.
 */
export async function postedRowOf(db: DbOrTx, posted: PostedMessage): Promise<OutboxRow | undefined> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('platform', '=', posted.platform)
    .where('platform_message_id', '=', posted.messageId)
    .where('op', '!=', 'update')
    .where(sql<string>`target->>'channel'`, '=', posted.channel)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * The newest card written for a message the bot posted: the card it was posted with, or the card
 * of its latest update, delivered or still queued. Undefined when the bot knows no card there.
 */
export async function latestCardOf(db: DbOrTx, posted: PostedMessage): Promise<OutMessage | undefined> {
  const root = await postedRowOf(db, posted);
  if (!root) return undefined;
  // Queued updates count: they were written with the change they show, in the same transaction.
  // Failed ones do not: a card the platform refused must not be offered again.
  const latest = await db
    .selectFrom('outbox')
    .select('body')
    .where((eb) => eb.or([eb('id', '=', root.id), eb('update_of', '=', root.id)]))
    .where('status', '!=', 'failed')
    .where(sql`body->'message'->'card'`, 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return latest?.body.message;
}

/**
 * A pending row with what decides whether it may be sent now: an earlier pending row in its lane,
 * the status of the row it threads under or updates, its workspace's pause, and the installation
 * that says the bot was removed from there. One round trip instead of five.
 */
export function lookAt(db: DbOrTx, outboxId: number) {
  return db
    .selectFrom('outbox as o')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('installations as i')
          .select(['i.channel as removed_channel', 'i.reason as removed_reason'])
          .whereRef('i.platform', '=', 'o.platform')
          .where('i.tenant', '=', sql<string>`o.target->>'tenant'`)
          .where((w) =>
            w.or([w('i.channel', '=', ''), w('i.channel', '=', sql<string>`o.target->>'channel'`)]),
          )
          .where('i.status', '=', 'inactive')
          .orderBy('i.channel')
          .limit(1)
          .as('removed'),
      (join) => join.onTrue(),
    )
    .selectAll('o')
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('outbox as e')
            .select('e.id')
            .whereRef('e.lane', '=', 'o.lane')
            .where('e.status', '=', 'pending')
            .whereRef('e.id', '<', 'o.id'),
        )
        .as('earlier_pending'),
      eb
        .selectFrom('outbox as p')
        .select('p.status')
        .where('p.id', '=', sql<number>`case when o.op = 'update' then o.update_of else o.thread_of end`)
        .as('parent_status'),
      eb
        .selectFrom('delivery_pauses as dp')
        .select('dp.reason')
        .whereRef('dp.platform', '=', 'o.platform')
        .where('dp.tenant', '=', sql<string>`o.target->>'tenant'`)
        .as('paused_reason'),
      'removed.removed_channel',
      'removed.removed_reason',
    ])
    .where('o.id', '=', outboxId)
    .where('o.status', '=', 'pending')
    .executeTakeFirst();
}

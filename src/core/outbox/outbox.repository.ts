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

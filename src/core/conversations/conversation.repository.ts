import { sql } from 'kysely';
import type { ConversationRef, MessageEvent } from '../chat/chat.ts';
import { type DbOrTx, json } from '../db.ts';
import type { ConversationRow } from './conversation.table.ts';

/** Stores (or refreshes) a conversation reference and returns its row. */
export async function upsertConversation(db: DbOrTx, ref: ConversationRef): Promise<ConversationRow> {
  return db
    .insertInto('conversations')
    .values({
      platform: ref.platform,
      tenant: ref.tenant,
      channel: ref.channel,
      thread: ref.thread ?? '',
      is_direct: ref.isDirect ?? false,
      ref: json(ref),
      state: null,
      updated_at: sql`now()`,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'channel', 'thread']).doUpdateSet({ ref: json(ref), updated_at: sql`now()` }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * How long the agents' state (a clarifying question asked, an answer given) waits for the message
 * that continues it. Only the immediately following message of the same conversation, within this
 * window, continues it; any message ends it (core clears it), and an older one is ignored.
 */
export const CARRY_OVER_WINDOW_MS = 30 * 60_000;

/** Stores the agents' state for the next message, stamped with when it was stored (`at`). */
export async function setConversationState(
  db: DbOrTx,
  conversationId: number,
  state: Record<string, unknown> | null,
  at: Date,
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ state: state === null ? null : json({ ...state, at: at.toISOString() }), updated_at: sql`now()` })
    .where('id', '=', conversationId)
    .execute();
}

/**
 * The state a message arriving `now` continues: null when there is none, when it is older than
 * CARRY_OVER_WINDOW_MS, or when it carries no time (stored by an earlier version).
 */
export function carriedState(
  state: Record<string, unknown> | null | undefined,
  now: Date,
): Record<string, unknown> | null {
  if (!state || typeof state.at !== 'string') return null;
  const age = now.getTime() - Date.parse(state.at);
  return age <= CARRY_OVER_WINDOW_MS ? state : null;
}

/**
 * The conversation whose agent state a message continues: a direct chat keeps one state for the
 * whole chat, a channel one per thread. Undefined until the conversation has been stored.
 */
export async function stateConversationOf(
  db: DbOrTx,
  event: Pick<MessageEvent, 'platform' | 'conversation' | 'isDirect'>,
): Promise<Pick<ConversationRow, 'id' | 'state'> | undefined> {
  return db
    .selectFrom('conversations')
    .select(['id', 'state'])
    .where('platform', '=', event.platform)
    .where('channel', '=', event.conversation.channel)
    .where('thread', '=', event.isDirect ? '' : (event.conversation.thread ?? ''))
    .executeTakeFirst();
}

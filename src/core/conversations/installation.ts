/**
 * Where the bot is installed. Removing it (a Slack workspace uninstalling the app or revoking its
 * tokens, a Teams team, channel or chat removing the bot) marks that place inactive: messages for
 * it are kept as `undeliverable` with the reason instead of failing and retrying. Anything the
 * platform sends from there again (a re-install, a message) makes it active again.
 */
import { sql } from 'kysely';
import type { ConversationRef, Platform } from '../chat/chat.ts';
import type { DbOrTx, Tx } from '../db.ts';

interface Place {
  platform: Platform | string;
  tenant: string;
  channel: string;
}

/** Marks a workspace (`channel` '') or one conversation inactive, with what the platform said. */
export async function markRemoved(tx: Tx, place: Place, reason: string, at: Date): Promise<void> {
  await tx
    .insertInto('installations')
    .values({ ...place, status: 'inactive', reason, changed_at: at, welcomed_at: null })
    .onConflict((oc) =>
      oc
        .columns(['platform', 'tenant', 'channel'])
        .doUpdateSet({ status: 'inactive', reason, changed_at: at }),
    )
    .execute();
}

/**
 * Any event from a place proves the bot is there: its workspace and conversation are active again.
 * One statement, and it writes only when something was inactive.
 */
export async function markHeardFrom(db: DbOrTx, ref: ConversationRef): Promise<number> {
  const result = await db
    .updateTable('installations')
    .set({ status: 'active', reason: null, changed_at: sql`now()` })
    .where('platform', '=', ref.platform)
    .where('tenant', '=', ref.tenant)
    .where('channel', 'in', ['', ref.channel])
    .where('status', '=', 'inactive')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Why deliveries to `target` stop, when the bot was removed from its workspace or conversation. */
export async function removedReason(db: DbOrTx, target: ConversationRef): Promise<string | undefined> {
  const row = await db
    .selectFrom('installations')
    .select(['channel', 'reason'])
    .where('platform', '=', target.platform)
    .where('tenant', '=', target.tenant)
    .where('channel', 'in', ['', target.channel])
    .where('status', '=', 'inactive')
    .orderBy('channel')
    .executeTakeFirst();
  return removedMessage(row);
}

/**
 * The reason `removedReason` gives for an inactive installation row (the workspace's, `channel`
 * '', or the conversation's), for a caller that read the row with something else.
 */
export function removedMessage(
  row: { channel: string | null; reason: string | null } | undefined,
): string | undefined {
  if (!row || row.channel === null) return undefined;
  const where = row.channel === '' ? 'the workspace' : 'this conversation';
  return `the bot was removed from ${where} (${row.reason ?? 'removed'})`;
}

/**
 * True the first time for a conversation (then never again): the install welcome is a one-off,
 * however often the platform repeats the install event or the person opens the app.
 */
export async function firstWelcome(tx: Tx, place: Place, at: Date): Promise<boolean> {
  const row = await tx
    .insertInto('installations')
    .values({ ...place, status: 'active', reason: null, changed_at: at, welcomed_at: at })
    .onConflict((oc) =>
      oc
        .columns(['platform', 'tenant', 'channel'])
        .doUpdateSet({ welcomed_at: at })
        .where('installations.welcomed_at', 'is', null),
    )
    .returning('welcomed_at')
    .executeTakeFirst();
  return row !== undefined;
}

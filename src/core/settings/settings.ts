import type { ConversationRef, Platform } from '../chat/chat.ts';
import { type DbOrTx, json } from '../db.ts';

export async function getSetting<T>(db: DbOrTx, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value as T | undefined;
}

export async function setSetting(db: DbOrTx, key: string, value: unknown, by: number | null): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: json(value), updated_by: by })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: json(value), updated_by: by, updated_at: new Date() }),
    )
    .execute();
}

export async function deleteSetting(db: DbOrTx, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}

export const triageChannelKey = (platform: Platform) => `triage-channel:${platform}`;
export const intakeChannelKey = (platform: Platform, channel: string) =>
  `intake-channel:${platform}:${channel}`;

/** Every configured triage channel, one per platform. */
export async function triageChannels(db: DbOrTx): Promise<ConversationRef[]> {
  const rows = await db
    .selectFrom('settings')
    .select('value')
    .where('key', 'like', 'triage-channel:%')
    .execute();
  return rows.map((row) => row.value as ConversationRef);
}

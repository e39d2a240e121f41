import { sql } from 'kysely';
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
      oc.column('key').doUpdateSet({ value: json(value), updated_by: by, updated_at: sql`now()` }),
    )
    .execute();
}

/**
 * The version of a setting a write left behind. `revision` is the id of the transaction that
 * wrote it (the row's `xmin`): unlike `updatedAt`, no two changes share it.
 */
export interface SettingVersion {
  key: string;
  updatedAt: Date;
  revision: string;
}

/** The stored version of `key` as `db` sees it (inside a transaction, after a write: that write). */
export async function settingVersion(db: DbOrTx, key: string): Promise<SettingVersion> {
  const row = await db
    .selectFrom('settings')
    .select(['updated_at', sql<string>`xmin::text`.as('revision')])
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return { key, updatedAt: row.updated_at, revision: row.revision };
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

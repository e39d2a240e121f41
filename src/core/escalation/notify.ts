/** Who an escalation reaches: the escalation channels, the on-call, the admins, each mentioned per platform. */
import type { ConversationRef, Platform } from '../chat/chat.ts';
import { mentionOf } from '../chat/mention.ts';
import type { DbOrTx } from '../db.ts';
import { SETTING_KEYS } from '../timers/settings.ts';

export async function escalationChannels(db: DbOrTx): Promise<ConversationRef[]> {
  const rows = await db
    .selectFrom('settings')
    .select('value')
    .where('key', 'like', 'escalation-channel:%')
    .execute();
  return rows.map((row) => row.value as ConversationRef);
}

/** The on-call person or group: stored by `config on-call @who` as `{platform, userId, name}` (or a list). */
export async function onCallMention(db: DbOrTx, platform: Platform): Promise<string | null> {
  // `config on-call @who` stores one per platform; a plain `on-call` entry applies everywhere.
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', [`${SETTING_KEYS.onCall}:${platform}`, SETTING_KEYS.onCall])
    .execute();
  const row = rows.find((r) => r.key !== SETTING_KEYS.onCall) ?? rows[0];
  if (!row) return null;
  const entries = (Array.isArray(row.value) ? row.value : [row.value]) as unknown[];
  const mentions: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string')
      mentions.push(entry.startsWith('@') || entry.startsWith('<') ? entry : `@${entry}`);
    else if (entry && typeof entry === 'object') {
      const e = entry as { platform?: string; userId?: string; name?: string };
      if (!e.platform || e.platform === platform)
        mentions.push(mentionOf(platform, e.userId ?? '', e.name ?? null));
    }
  }
  return mentions.length ? mentions.join(' ') : null;
}

/** Admin mentions on a platform: people holding the admin role who have an identity there. */
export async function adminMentions(db: DbOrTx, platform: Platform): Promise<string[]> {
  const rows = await db
    .selectFrom('roles')
    .innerJoin('identities', 'identities.person_id', 'roles.person_id')
    .select(['identities.user_id', 'identities.display_name'])
    .where('roles.role', '=', 'admin')
    .where('identities.platform', '=', platform)
    .execute();
  return rows.map((row) => mentionOf(platform, row.user_id, row.display_name));
}

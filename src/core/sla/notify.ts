/** Where timer alerts go: triage and escalation channels, mentions of people on each platform. */
import type { ConversationRef, OutMessage, Platform } from '../chat/chat.ts';
import { mentionToken } from '../chat/mention.ts';
import type { DbOrTx, Tx } from '../db.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { triageChannels } from '../settings/settings.ts';
import { escalationChannelKey, SETTING_KEYS } from './worker-settings.ts';

/**
 * How a person is addressed on a platform so that they are notified: Slack's own `<@U…>`, a neutral
 * token on Teams (its adapter writes the `<at>` mention; it needs a name to show), else `@name`.
 */
export function mentionOf(platform: string, userId: string, name: string | null): string {
  if (platform === 'slack' && userId) return `<@${userId}>`;
  if (platform === 'teams' && userId && name) return mentionToken(platform, userId, name);
  return `@${name ?? userId}`;
}

/** Mention text for a person on one platform, falling back to the display name. */
export async function mentionPerson(
  db: DbOrTx,
  personId: number | null,
  platform: string,
): Promise<string | null> {
  if (personId === null) return null;
  const identity = await db
    .selectFrom('identities')
    .innerJoin('people', 'people.id', 'identities.person_id')
    .select(['identities.user_id', 'people.display_name'])
    .where('identities.person_id', '=', personId)
    .where('identities.platform', '=', platform)
    .executeTakeFirst();
  if (identity) return mentionOf(platform, identity.user_id, identity.display_name);
  const person = await db
    .selectFrom('people')
    .select('display_name')
    .where('id', '=', personId)
    .executeTakeFirst();
  return person ? `@${person.display_name}` : null;
}

export async function escalationChannels(db: DbOrTx): Promise<ConversationRef[]> {
  const rows = await db
    .selectFrom('settings')
    .select('value')
    .where('key', 'like', 'escalation-channel:%')
    .execute();
  return rows.map((row) => row.value as ConversationRef);
}

export { escalationChannelKey };

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

/**
 * Posts a top-level message to every configured channel of a kind; `text` gets the platform's
 * mentions. Returns how many channels it reached.
 */
export async function postToChannels(
  tx: Tx,
  channels: ConversationRef[],
  build: (channel: ConversationRef) => Promise<OutMessage>,
  key: string,
  ticketId: number | undefined,
): Promise<number> {
  let count = 0;
  for (const channel of channels) {
    await queueMessage(tx, {
      key: `${key}-${channel.platform}-${channel.channel}`,
      op: 'post',
      target: { ...channel, thread: undefined },
      message: await build(channel),
      ...(ticketId === undefined ? {} : { ticketId }),
      purpose: 'alert',
    });
    count++;
  }
  return count;
}

export { triageChannels };

/** Posts into the ticket's thread in every triage channel, with a message built per platform. */
export async function postToTicketThreads(
  tx: Tx,
  ticketId: number,
  build: (platform: string) => Promise<OutMessage>,
  key: string,
): Promise<void> {
  const threads = await tx
    .selectFrom('ticket_threads')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('role', '=', 'triage')
    .orderBy('id')
    .execute();
  for (const thread of threads) {
    // Same targeting as the ticket use cases: the known thread, or the card's thread once posted.
    await queueMessage(tx, {
      key: `${key}-t${thread.id}`,
      op: 'post',
      target: { ...thread.ref, thread: thread.thread ?? undefined },
      ...(thread.thread || !thread.card_outbox_id ? {} : { threadOf: thread.card_outbox_id }),
      message: await build(thread.platform),
      ticketId,
      purpose: 'alert',
    });
  }
}

import type { DbOrTx } from '../db.ts';
/**
 * A neutral mention token in message text, `<@teams:ID|Name>`, for platforms whose mentions are
 * markup plus metadata rather than plain text (Teams needs `<at>Name</at>` and an entity).
 * Core writes it; each adapter turns it into its own mention, or into `@Name`.
 */

export interface Mention {
  platform: string;
  userId: string;
  name: string;
}

// The platform prefix keeps a Slack `<@U123>` (or anything a user typed) from being read as one.
const TOKEN = /<@([a-z]+):([^|>\s]+)\|([^>]*)>/g;

/** The token for a person on a platform; `|`, `<` and `>` are dropped from the name so it parses back. */
export function mentionToken(platform: string, userId: string, name: string): string {
  return `<@${platform}:${userId}|${name.replace(/[|<>]/g, '').trim() || userId}>`;
}

/** Replaces every mention token in `text` with what `render` returns for it. */
export function replaceMentions(text: string, render: (mention: Mention) => string): string {
  return text.replace(TOKEN, (_token, platform: string, userId: string, name: string) =>
    render({ platform, userId, name }),
  );
}

/** The text with every mention token written as `@Name`, for text-only surfaces. */
export function plainMentions(text: string): string {
  return replaceMentions(text, (mention) => `@${mention.name}`);
}

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

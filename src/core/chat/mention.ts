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

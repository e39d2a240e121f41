/** The `/helpdesk` grammar every platform shares: `<command> [args]`, quotes group words. */

export type Arg =
  | { kind: 'ticket'; number: number; raw: string }
  | { kind: 'user'; userId: string; name?: string | undefined; raw: string }
  | { kind: 'channel'; channel: string; name?: string | undefined; raw: string }
  | { kind: 'word'; value: string; raw: string };

export interface ParsedCommand {
  name: string;
  args: Arg[];
  /** Everything after the command name, as typed (for free text such as a note). */
  rest: string;
}

/**
 * Quoted text, a whole mention or channel link (`<@29:1a2b|Alex Agent>`: a display name may have
 * spaces, a Teams id has a colon), or a word.
 */
const TOKEN = /"([^"]*)"|'([^']*)'|(<[@#][^<>]*>)|(\S+)/g;
const FIRST_TOKEN = /^\s*("[^"]*"|'[^']*'|<[@#][^<>]*>|\S+)/;

export function parseArg(raw: string): Arg {
  const ticket = /^#?(\d+)$/.exec(raw);
  if (ticket) return { kind: 'ticket', number: Number(ticket[1]), raw };
  const mention = /^<@([^|<>\s]+)(?:\|([^<>]*))?>$/.exec(raw);
  if (mention) return { kind: 'user', userId: mention[1] ?? '', name: mention[2]?.trim() || undefined, raw };
  const slackChannel = /^<#([A-Z0-9]+)(?:\|([^>]*))?>$/i.exec(raw);
  if (slackChannel)
    return { kind: 'channel', channel: slackChannel[1] ?? '', name: slackChannel[2] || undefined, raw };
  if (raw.startsWith('@') && raw.length > 1) return { kind: 'user', userId: '', name: raw.slice(1), raw };
  return { kind: 'word', value: raw, raw };
}

/** Parses `claim #4` (or `helpdesk claim #4`, `/helpdesk claim #4`) into a command and arguments. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const trimmed = text.trim().replace(/^\/?helpdesk\b\s*/i, '');
  if (!trimmed) return { name: 'help', args: [], rest: '' };
  const [first = ''] = trimmed.split(/\s+/, 1);
  const rest = trimmed.slice(first.length).trim();
  const args: Arg[] = [];
  for (const match of rest.matchAll(TOKEN)) {
    args.push(parseArg(match[1] ?? match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return { name: first.toLowerCase(), args, rest };
}

/** The free text after the first `count` arguments, as typed. */
export function textAfter(parsed: ParsedCommand, count: number): string {
  let remaining = parsed.rest;
  for (let i = 0; i < count; i++) {
    remaining = remaining.replace(FIRST_TOKEN, '');
  }
  return remaining.trim();
}

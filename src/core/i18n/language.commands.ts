/** `config language <code>`: the language of cards and triage-channel texts (admins, via `config`). */
import type { CommandContext, CommandResult } from '../commands/command.ts';
import { reply } from '../commands/command.ts';
import type { Arg } from '../commands/parse.ts';
import type { Tx } from '../db.ts';
import type { Person } from '../people/people.service.ts';
import { setSetting } from '../settings/settings.ts';
import { TEAM_LANGUAGE_KEY, teamLanguage } from './choose.ts';
import { messagesFor } from './i18n.ts';
import { LANGUAGES, toLanguage } from './languages.ts';

const SUPPORTED = LANGUAGES.join(', ');

/** Sets (or, without a code, shows) the team's language; an unknown code is refused with the list. */
export async function configureLanguage(
  tx: Tx,
  actor: Person,
  args: Arg[],
  ctx: Pick<CommandContext, 'language'>,
): Promise<CommandResult> {
  const m = messagesFor(ctx.language);
  const arg = args[0];
  if (!arg) return reply(m.languageShow(await teamLanguage(tx), SUPPORTED));
  if (arg.kind !== 'word' || args.length > 1) return reply(m.languageUsage(SUPPORTED));
  const language = toLanguage(arg.value);
  if (!language) return reply(m.languageUnknown(arg.value, SUPPORTED));
  await setSetting(tx, TEAM_LANGUAGE_KEY, language, actor.id);
  return reply(messagesFor(language).languageSet(language));
}

/** `config jsm categories network,hardware|off` (admins): which tickets JSM mirrors. */
import { type CommandResult, reply } from '../commands/command.ts';
import type { Arg } from '../commands/parse.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import type { Person } from '../people/people.service.ts';
import { deleteSetting, getSetting, setSetting } from '../settings/settings.ts';
import { CATEGORIES, isCategory } from '../tickets/ticket.ts';
import { JSM_CATEGORIES_KEY } from './jsm.sync.ts';

const USAGE = `Usage: \`config jsm categories network,hardware\` (or \`off\`). Categories: ${CATEGORIES.join(', ')}.`;

export async function configureJsm(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  args: Arg[],
): Promise<CommandResult> {
  const sub = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
  const notice = deps.config.jsm
    ? ''
    : '\nNote: JSM is not configured (JSM_URL, JSM_EMAIL, JSM_API_TOKEN, JSM_SERVICE_DESK_ID, JSM_REQUEST_TYPE_ID), so nothing is mirrored yet.';
  if (sub !== 'categories') return reply(USAGE);
  const listed = args
    .slice(1)
    .flatMap((arg) => arg.raw.split(','))
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  if (listed.length === 0) {
    const current = (await getSetting<string[]>(tx, JSM_CATEGORIES_KEY)) ?? [];
    return reply(`JSM mirrors: ${current.length ? current.join(', ') : 'no categories'}.${notice}\n${USAGE}`);
  }
  if (listed.length === 1 && listed[0] === 'off') {
    await deleteSetting(tx, JSM_CATEGORIES_KEY);
    return reply('New tickets are no longer mirrored to JSM (existing mirrors keep syncing).');
  }
  const unknown = listed.filter((entry) => !isCategory(entry));
  if (unknown.length) return reply(`Unknown category ${unknown.join(', ')}. ${USAGE}`);
  const categories = [...new Set(listed)];
  await setSetting(tx, JSM_CATEGORIES_KEY, categories, actor.id);
  return reply(`New tickets in ${categories.join(', ')} are now mirrored to JSM.${notice}`);
}

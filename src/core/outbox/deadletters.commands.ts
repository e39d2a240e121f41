/**
 * `deadletters` (admins): what could not be delivered or processed, and why — the same list as
 * `helpdesk deadletters` (deadletters.ts), with the paused workspaces and the places the bot was
 * removed from. Re-sending is `helpdesk deadletters retry <id|all>` on the server.
 */
import { type CommandSpec, reply } from '../commands/command.ts';
import type { CoreDeps } from '../deps.ts';
import { formatDeadLetters, listDeadLetters } from './deadletters.ts';

const LISTED = 20;

export const deadLetterCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'deadletters',
    usage: 'deadletters',
    summary: 'messages that could not be delivered or processed, and why',
    role: 'admin',
    async run(deps, tx) {
      const report = await listDeadLetters(tx, deps.clock.now(), { limit: LISTED + 1 });
      const text = formatDeadLetters(report, { max: LISTED });
      if (report.letters.length === 0 && report.paused.length === 0 && report.removed.length === 0)
        return reply(text);
      return reply(
        `Dead letters (newest ${LISTED} at most; re-send with \`helpdesk deadletters retry <id|all>\`):\n${text}`,
      );
    },
  },
];

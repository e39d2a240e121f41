/** `time #N 30m [note]`: an agent logs work on a ticket. */
import type { CommandSpec } from '../commands/command.ts';
import { reply } from '../commands/command.ts';
import { textAfter } from '../commands/parse.ts';
import type { CoreDeps } from '../deps.ts';
import { refusalText } from '../tickets/refusal.ts';
import { findTicketByNumber } from '../tickets/ticket.repository.ts';
import { formatMinutes, logTime, parseWorkMinutes, timeSummary } from './time.ts';

const USAGE = 'time #N 30m [note]';

export const timeCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'time',
    usage: USAGE,
    summary: 'log time worked on a ticket (at most 24h an entry); `show #N` shows the total',
    role: 'agent',
    async run(deps, tx, actor, args, ctx) {
      const [ticketArg, durationArg] = args;
      if (ticketArg?.kind !== 'ticket' || durationArg?.kind !== 'word') return reply(`Usage: \`${USAGE}\``);
      const minutes = parseWorkMinutes(durationArg.value);
      if (typeof minutes === 'string') return reply(minutes);
      const ticket = await findTicketByNumber(tx, ticketArg.number);
      if (!ticket) return reply(`There is no ticket #${ticketArg.raw.replace(/^#/, '')}.`);
      const outcome = await logTime(deps, tx, actor, ticket.id, minutes, textAfter(ctx.parsed, 2));
      if (!outcome.ok) return reply(refusalText(outcome.refusal));
      return reply(
        `Logged ${formatMinutes(minutes)} on #${ticket.number}. Total: ${(await timeSummary(tx, ticket.id)) ?? formatMinutes(minutes)}.`,
      );
    },
  },
];

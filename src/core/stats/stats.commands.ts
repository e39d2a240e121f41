import type { CommandSpec } from '../commands/registry.ts';
import { reply } from '../commands/registry.ts';
import { formatStats } from './stats.format.ts';
import { computeStats } from './stats.service.ts';

export const statsCommands: CommandSpec[] = [
  {
    name: 'stats',
    usage: 'stats [7d|30d]',
    summary: 'helpdesk figures for the last 7 or 30 days',
    role: 'agent',
    async run(deps, _actor, args) {
      const raw = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '7d';
      const days = /^(\d{1,3})d$/.exec(raw)?.[1];
      if (!days || Number(days) < 1) return reply('Usage: `stats 7d` or `stats 30d`');
      const report = await computeStats(deps.db, deps.clock.now(), Number(days));
      return reply(formatStats(report, `Helpdesk, last ${days} days`));
    },
  },
];

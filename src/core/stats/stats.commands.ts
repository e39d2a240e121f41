import type { CommandSpec } from '../commands/command.ts';
import { reply } from '../commands/command.ts';
import type { CoreDeps } from '../deps.ts';
import { hasRole } from '../people/people.service.ts';
import { setSetting } from '../settings/settings.ts';
import { isValidTimeZone } from '../sla/calendar.ts';
import { formatTimeStats, timeStats } from '../time/time.ts';
import { SETTING_KEYS } from '../timers/settings.ts';
import { afterCommit } from '../unit-of-work.ts';
import { digestCron, digestSchedule } from './digest.ts';
import { formatStats } from './stats.format.ts';
import { computeStats } from './stats.service.ts';

export const statsCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'stats',
    usage: 'stats [7d|30d]',
    summary: 'helpdesk figures for the last 7 or 30 days',
    role: 'agent',
    async run(deps, tx, _actor, args) {
      const raw = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '7d';
      const days = /^(\d{1,3})d$/.exec(raw)?.[1];
      if (!days || Number(days) < 1) return reply('Usage: `stats 7d` or `stats 30d`');
      const now = deps.clock.now();
      const report = await computeStats(tx, now, Number(days));
      const time = await timeStats(tx, new Date(now.getTime() - Number(days) * 86_400_000), now);
      return reply(`${formatStats(report, `Helpdesk, last ${days} days`)}\n${formatTimeStats(time)}`);
    },
  },
  {
    name: 'digest',
    usage: 'digest [at HH:MM [Time/Zone] | now]',
    summary: 'when the daily digest is posted to the triage channel; change it, or post one now',
    role: 'agent',
    helpFor: { agent: { usage: 'digest', summary: 'when the daily digest is posted to the triage channel' } },
    async run(deps, tx, actor, args) {
      const what = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
      const current = await digestSchedule(tx);
      if (!what)
        return reply(`The daily digest is posted to the triage channel at ${current.time} (${current.tz}).`);
      if (!hasRole(actor.role, 'admin')) return reply('Only admins can change the digest.');
      if (what === 'now') {
        const manualAt = deps.clock.now().toISOString();
        afterCommit(tx, () => deps.jobs.enqueue('digest', { manualAt }));
        return reply('Posting a digest to the triage channel now.');
      }
      const time = args[1]?.raw ?? '';
      const tz = args[2]?.raw ?? current.tz;
      if (what !== 'at' || !digestCron(time) || !isValidTimeZone(tz)) {
        return reply('Usage: `digest at 08:00 Europe/Berlin` or `digest now`');
      }
      await setSetting(tx, SETTING_KEYS.digestTime, time, actor.id);
      await setSetting(tx, SETTING_KEYS.digestTz, tz, actor.id);
      afterCommit(tx, () => deps.jobs.enqueue('schedule-digest', {}));
      return reply(`The daily digest will be posted at ${time} (${tz}).`);
    },
  },
];

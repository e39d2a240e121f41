/** `retention` (admins): show the policies and the last run; `retention <policy> <period|off>` sets one. */
import { type CommandSpec, reply } from '../commands/command.ts';
import type { CoreDeps } from '../deps.ts';
import { deleteSetting, setSetting } from '../settings/settings.ts';
import {
  formatPeriod,
  lastRetentionRun,
  POLICIES,
  POLICY_RANGE,
  type Policy,
  parsePeriod,
  policyKey,
  readPolicies,
} from './retention.ts';

const USAGE =
  'Usage: `retention` shows the policies; `retention inbound 30d`, `retention llm 30d`, `retention closed-tickets 2y` set one (`d` days, `y` 365 days), `retention <policy> off` turns it off.';

export const retentionCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'retention',
    usage: 'retention [inbound|llm|closed-tickets <30d|2y|off>]',
    summary: 'how long personal data is kept; a daily job purges and anonymises what is older',
    role: 'admin',
    async run(_deps, tx, actor, args) {
      if (args.length === 0) {
        const policies = await readPolicies(tx);
        const lines = POLICIES.map((p) => `• ${p}: ${formatPeriod(policies[p])} — ${POLICY_RANGE[p].covers}`);
        const last = await lastRetentionRun(tx);
        const counts = last ? Object.entries(last.counts).sort(([a], [b]) => a.localeCompare(b)) : [];
        const run = last
          ? `Last run ${last.started_at.toISOString().slice(0, 16).replace('T', ' ')} UTC (${last.trigger}): ${
              counts.length ? counts.map(([table, n]) => `${table} ${n}`).join(', ') : 'nothing to do'
            }.`
          : 'No run yet (daily at 03:30 UTC, or `helpdesk retention run`).';
        return reply(['Retention policies:', ...lines, run].join('\n'));
      }
      const policy = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
      const raw = args[1]?.kind === 'word' ? args[1].value : '';
      if (!POLICIES.includes(policy as Policy) || !raw || args.length > 2) return reply(USAGE);
      const range = POLICY_RANGE[policy as Policy];
      const period = parsePeriod(raw);
      if (period === null) return reply(`\`${raw}\` is not a period. ${USAGE}`);
      if (period === 'off') {
        await deleteSetting(tx, policyKey(policy as Policy));
        return reply(`Retention for ${policy} is off: nothing of it is purged.`);
      }
      if (period < range.min || period > range.max)
        return reply(
          `The ${policy} period must be from ${range.min}d to ${range.max}d (${range.max / 365}y); got ${period}d.`,
        );
      await setSetting(tx, policyKey(policy as Policy), { days: period }, actor.id);
      return reply(
        `Retention for ${policy} is now ${formatPeriod(period)}: ${range.covers}, after that period, by the daily run.`,
      );
    },
  },
];

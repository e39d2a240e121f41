/** `audit [7d]` (admins): who changed the configuration, what, from what to what, and when. */
import { type CommandSpec, reply } from '../commands/command.ts';
import type { CoreDeps } from '../deps.ts';

const MAX_DAYS = 366;
const LISTED = 50;

function shown(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

export const auditCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'audit',
    usage: 'audit [7d]',
    summary: 'configuration changes in a window (7 days unless given, at most 366d)',
    role: 'admin',
    async run(deps, tx, _actor, args) {
      const raw = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '7d';
      const days = Number(/^(\d{1,3})d$/.exec(raw)?.[1] ?? Number.NaN);
      if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)
        return reply(`Usage: \`audit 7d\` (a number of days from 1 to ${MAX_DAYS}).`);
      const since = new Date(deps.clock.now().getTime() - days * 86_400_000);
      const rows = await tx
        .selectFrom('audit_log')
        .select([
          'audit_log.id',
          'audit_log.actor_name',
          'audit_log.action',
          'audit_log.target',
          'audit_log.before',
          'audit_log.after',
          'audit_log.created_at',
        ])
        .where('audit_log.created_at', '>=', since)
        .orderBy('audit_log.id', 'desc')
        .limit(LISTED)
        .execute();
      if (rows.length === 0) return reply(`No configuration changes in the last ${days} days.`);
      // Roles are recorded by person id (a name can change or be erased): shown with today's name.
      const ids = rows.map((row) => /^role:(\d+)$/.exec(row.target)?.[1]).filter((id) => id !== undefined);
      const names = ids.length
        ? await tx
            .selectFrom('people')
            .select(['id', 'display_name'])
            .where('id', 'in', ids.map(Number))
            .execute()
        : [];
      const target = (raw: string) => {
        const id = /^role:(\d+)$/.exec(raw)?.[1];
        const name = id === undefined ? undefined : names.find((p) => p.id === Number(id))?.display_name;
        return name ? `role of ${name}` : raw;
      };
      const lines = rows.map(
        (row) =>
          `• ${row.created_at.toISOString().slice(0, 16).replace('T', ' ')} UTC ${row.actor_name} (${row.action}) ${target(row.target)}: ${shown(row.before)} → ${shown(row.after)}`,
      );
      return reply(
        `Configuration changes, last ${days} days (newest first, ${LISTED} at most):\n${lines.join('\n')}`,
      );
    },
  },
];

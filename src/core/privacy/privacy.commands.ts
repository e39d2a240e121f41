/**
 * `privacy export @who` and `privacy erase @who yes` (admins). The export is sent to the admin as a
 * one-time download link (`GET /privacy/exports/<token>`, short-lived): no platform adapter uploads
 * files. Both are audited by this command itself, never with the person's data.
 */
import { recordAudit } from '../audit/audit.ts';
import { type CommandSpec, personNamed, reply } from '../commands/command.ts';
import type { CoreDeps } from '../deps.ts';
import { FORMER_EMPLOYEE_EMAIL } from './anonymise.ts';
import { erasePerson } from './erase.ts';
import { EXPORT_LINK_TTL_MS, exportPerson, storeExport } from './export.ts';

const USAGE = 'Usage: `privacy export @who` (a download link for you) or `privacy erase @who yes`.';

/** Where a link to this server points: PUBLIC_URL when set, else the path alone. */
export function exportLink(publicUrl: string | undefined, token: string): string {
  const path = `/privacy/exports/${token}`;
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${path}` : path;
}

export const privacyCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'privacy',
    usage: 'privacy export @who | privacy erase @who yes',
    summary: "a person's data as one JSON file, or erase them everywhere (statistics stay)",
    role: 'admin',
    auditsItself: true,
    async run(deps, tx, actor, args, ctx) {
      const verb = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
      const who = args[1];
      if ((verb !== 'export' && verb !== 'erase') || who?.kind !== 'user') return reply(USAGE);
      const found = await personNamed(tx, deps, ctx, who);
      if (!found.ok) return reply(found.reason);
      const person = found.person;
      if (person.email === FORMER_EMPLOYEE_EMAIL) return reply('That is the shared former-employee record.');
      const now = deps.clock.now();
      if (verb === 'export') {
        const document = await exportPerson(tx, person.id, now, deps.textVariants);
        const token = await storeExport(tx, {
          subjectId: person.id,
          requestedBy: actor.id,
          document,
          at: now,
        });
        await recordAudit(tx, {
          actor,
          action: 'privacy',
          target: 'export',
          after: { person: person.id },
          at: now,
        });
        return reply(
          `The export of ${person.displayName} is ready: ${exportLink(deps.config.publicUrl, token)} — it works once, for ${EXPORT_LINK_TTL_MS / 60_000} minutes.`,
        );
      }
      const confirmed = args[2]?.kind === 'word' && args[2].value.toLowerCase() === 'yes';
      if (!confirmed)
        return reply(
          `This erases ${person.displayName} everywhere and cannot be undone. To go ahead: \`privacy erase ${who.raw} yes\`.`,
        );
      if (person.id === actor.id) return reply('You cannot erase yourself; ask another admin.');
      const { counts } = await erasePerson(tx, person.id, actor, now, deps.textVariants);
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      return reply(
        `Erased: ${total} rows changed in ${Object.keys(counts).length} tables. The erasure is in the audit log.`,
      );
    },
  },
];

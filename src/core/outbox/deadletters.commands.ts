/**
 * `deadletters` (admins): messages the helpdesk could not deliver, with why: given up on after
 * their retries (`failed`), or kept because the bot was removed from where they were going
 * (`undeliverable`), and the places the bot was removed from.
 */
import { type CommandSpec, reply } from '../commands/command.ts';
import type { CoreDeps } from '../deps.ts';

const LISTED = 20;

function age(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

export const deadLetterCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'deadletters',
    usage: 'deadletters',
    summary: 'messages that could not be delivered, and why',
    role: 'admin',
    async run(deps, tx) {
      const now = deps.clock.now();
      const rows = await tx
        .selectFrom('outbox')
        .select(['id', 'platform', 'target', 'status', 'last_error', 'created_at', 'ticket_id'])
        .where('status', 'in', ['failed', 'undeliverable'])
        .orderBy('id', 'desc')
        .limit(LISTED)
        .execute();
      const removed = await tx
        .selectFrom('installations')
        .select(['platform', 'tenant', 'channel', 'reason', 'changed_at'])
        .where('status', '=', 'inactive')
        .orderBy('changed_at', 'desc')
        .execute();
      const lines: string[] = [];
      for (const place of removed) {
        lines.push(
          `🚫 Removed from ${place.platform} ${place.channel === '' ? `workspace ${place.tenant}` : place.channel} (${place.reason ?? 'removed'}, ${age(place.changed_at, now)}): messages there are kept, not sent.`,
        );
      }
      for (const row of rows) {
        const ticket = row.ticket_id === null ? '' : ` (ticket id ${row.ticket_id})`;
        lines.push(
          `• ${row.id} ${row.status} → ${row.platform} ${row.target.channel || row.target.tenant}${ticket}, ${age(row.created_at, now)}: ${row.last_error ?? 'no reason recorded'}`,
        );
      }
      if (lines.length === 0) return reply('Every message was delivered: there are no dead letters.');
      return reply(`Undelivered messages (newest ${LISTED} at most):\n${lines.join('\n')}`);
    },
  },
];

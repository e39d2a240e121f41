/**
 * `apikey list` and `apikey revoke <id>` (admins) in chat. Keys are created only with the CLI
 * (`helpdesk apikey create`): a key written into a chat answer would sit in the outbox and in the
 * chat client, where a key printed once on the server's shell does not.
 */
import { type CommandSpec, reply } from '../commands/command.ts';
import type { CoreDeps } from '../deps.ts';
import { listApiKeys, revokeApiKey } from './apikey.service.ts';

const when = (date: Date | null) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : 'never');
const USAGE =
  'Usage: `apikey list`, `apikey revoke <id>`; create keys with `helpdesk apikey create` on the server.';

export const apiKeyCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'apikey',
    usage: 'apikey list | revoke <id>',
    summary: 'REST API keys: list them, revoke one (create them with the CLI)',
    role: 'admin',
    async run(deps, tx, actor, args) {
      const verb = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
      if (verb === 'list') {
        const keys = await listApiKeys(tx);
        if (keys.length === 0)
          return reply('No API keys yet. Create one on the server: `helpdesk apikey create`.');
        const lines = keys.map(
          (key) =>
            `• ${key.id} ${key.name} (hd_${key.prefix}, ${key.scopes.join(',')}): created ${when(key.created_at)} UTC, last used ${when(key.last_used_at)}${key.revoked_at ? `, revoked ${when(key.revoked_at)} UTC` : ''}`,
        );
        return reply(`API keys:\n${lines.join('\n')}`);
      }
      if (verb === 'create')
        return reply(
          'Keys are created on the server, so a key never passes through chat: `helpdesk apikey create --name <name> --scopes tickets:read,tickets:write` prints it once.',
        );
      // A bare number parses as a ticket number; a key id is one too.
      const id = args[1] && /^\d+$/.test(args[1].raw) ? Number(args[1].raw) : undefined;
      if (verb !== 'revoke' || id === undefined) return reply(USAGE);
      const outcome = await revokeApiKey(tx, actor, id, deps.clock.now());
      if (!outcome.ok)
        return reply(
          outcome.reason === 'no_such_key'
            ? `There is no API key ${id}.`
            : `API key ${id} is already revoked.`,
        );
      return reply(`Revoked API key ${id} (${outcome.key.name}); its next request gets 401.`);
    },
  },
];

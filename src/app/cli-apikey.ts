/** `helpdesk apikey create|list|revoke`: keys for the REST API, managed from the server's shell. */
import type { Command } from 'commander';
import {
  checkKeyName,
  createApiKey,
  type KeyActor,
  listApiKeys,
  parseScopes,
  revokeApiKey,
} from '../core/apikeys/apikey.service.ts';
import type { ApiKeyRow } from '../core/apikeys/apikey.table.ts';
import { configOrExit, fail, openCliDatabase } from './cli-setup.ts';

/** The CLI has no person behind it: the audit log names it. */
const CLI_ACTOR: KeyActor = { id: null, displayName: 'cli' };

const when = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '-');

/** One line per key: id, name, scopes, prefix, created, last used, revoked. */
export function formatKeys(keys: readonly ApiKeyRow[]): string {
  if (keys.length === 0) return 'No API keys yet: helpdesk apikey create --name <name> --scopes tickets:read';
  const rows = [
    ['id', 'name', 'scopes', 'prefix', 'created', 'last used', 'revoked'],
    ...keys.map((key) => [
      String(key.id),
      key.name,
      key.scopes.join(','),
      `hd_${key.prefix}`,
      when(key.created_at),
      when(key.last_used_at),
      when(key.revoked_at),
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function addApiKeyCli(program: Command): void {
  const apikey = program.command('apikey').description('manage API keys for the REST API (/api/v1)');
  apikey
    .command('create')
    .description('create a key and print it once on stdout (only its SHA-256 is stored)')
    .requiredOption('--name <name>', 'what the key is for; the API acts as an agent of this name')
    .requiredOption('--scopes <scopes>', 'comma-separated: tickets:read, tickets:write, tickets:internal')
    .action(async (options: { name: string; scopes: string }) => {
      const config = configOrExit();
      const scopes = parseScopes(options.scopes);
      if (!scopes.ok) fail(new Error(`--scopes: ${scopes.reason}`));
      const badName = checkKeyName(options.name);
      if (badName) fail(new Error(`--name: ${badName}`));
      const database = await openCliDatabase(config).catch(fail);
      try {
        // No chat message or job comes of it, so a plain transaction is the whole unit of work.
        const created = await database.db
          .transaction()
          .execute((tx) =>
            createApiKey(tx, CLI_ACTOR, { name: options.name, scopes: scopes.scopes }, new Date()),
          );
        process.stderr.write(
          `Created API key ${created.id} "${created.name}" (hd_${created.prefix}, ${created.scopes.join(',')}). It is shown once: store it now.\n`,
        );
        process.stdout.write(`${created.key}\n`);
      } finally {
        await database.close();
      }
    });
  apikey
    .command('list')
    .description('every key: id, name, scopes, prefix, created, last used, revoked')
    .action(async () => {
      const config = configOrExit();
      const database = await openCliDatabase(config).catch(fail);
      try {
        process.stdout.write(`${formatKeys(await listApiKeys(database.db))}\n`);
      } finally {
        await database.close();
      }
    });
  apikey
    .command('revoke')
    .argument('<id>', 'the key id (from apikey list)')
    .description('revoke a key at once: its next request gets 401')
    .action(async (id: string) => {
      const config = configOrExit();
      if (!/^\d+$/.test(id)) fail(new Error(`<id>: expected a key id from apikey list, got "${id}"`));
      const database = await openCliDatabase(config).catch(fail);
      try {
        const outcome = await database.db
          .transaction()
          .execute((tx) => revokeApiKey(tx, CLI_ACTOR, Number(id), new Date()));
        if (!outcome.ok)
          fail(
            new Error(
              outcome.reason === 'no_such_key' ? `no API key ${id}` : `API key ${id} is already revoked`,
            ),
          );
        process.stdout.write(`Revoked API key ${id} "${outcome.key.name}" (hd_${outcome.key.prefix}).\n`);
      } finally {
        await database.close();
      }
    });
}

/** Set-up shared by the CLI commands: configuration and, for one-shot commands, the database. */
import { readFileSync } from 'node:fs';
import {
  type Config,
  ConfigError,
  checkPlatformSettings,
  checkProductionSettings,
  loadConfig,
} from './config.ts';
import { unknownSettings, unknownSettingWarning } from './config-report.ts';
import { type Database, openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

/** Ends the process with one line on stderr (no stack): what went wrong, naming the setting when one is. */
export function fail(error: unknown): never {
  const message = error instanceof Error ? error.message || String(error) : String(error);
  process.stderr.write(`helpdesk: ${message.split('\n')[0]}\n`);
  process.exit(1);
}

/**
 * Parses configuration once; a bad setting (or half a Slack or Teams configuration) ends the process
 * with one line naming it, before anything is opened. Variables that look meant as settings but are
 * not one (a typo) get a warning line naming the closest setting.
 */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  let config: Config;
  try {
    config = loadConfig(env);
    checkProductionSettings(config);
    checkPlatformSettings(config);
  } catch (error) {
    if (error instanceof ConfigError) fail(error);
    throw error;
  }
  if (!['error', 'fatal', 'silent'].includes(config.LOG_LEVEL)) {
    for (const unknown of unknownSettings(env))
      process.stderr.write(`helpdesk: warning: ${unknownSettingWarning(unknown)}\n`);
  }
  return config;
}

/**
 * Opens the database for a one-shot command. The embedded database is always migrated (it may be
 * brand new); an external one only with `migrate`, since `helpdesk migrate` normally owns that.
 * When a running helpdesk holds the embedded database, the command connects through that process
 * (which migrated it when it started).
 */
export async function openCliDatabase(
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<Database> {
  const database = await openDatabase(config, { whenInUse: 'connect' });
  if (database.borrowedFrom !== undefined) return database;
  try {
    if (config.localMode) await database.setEmbeddedSearchPath('public');
    if (config.localMode || options.migrate) {
      const outcome = await migrateToLatest(database.db);
      if (outcome.error) throw outcome.error;
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** The version in package.json (beside `src/` in a checkout, beside `dist/` in the image). */
export function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'helpdesk' && pkg.version) return pkg.version;
    } catch {
      // Not there; look one level up.
    }
  }
  return 'unknown';
}

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Loads `migrations/*.ts` (or the compiled `.js`), ordered by their dated names. */
const provider: MigrationProvider = {
  async getMigrations() {
    const files = (await fs.readdir(migrationsDir))
      .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts') && !file.endsWith('.test.ts'))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const name = file.replace(/\.(ts|js)$/, '');
      migrations[name] = (await import(pathToFileURL(path.join(migrationsDir, file)).href)) as Migration;
    }
    return migrations;
  },
};

export interface MigrateOutcome {
  applied: string[];
  error?: unknown;
}

/** The migrator over `migrations/`, keeping its bookkeeping in the connection's current schema. */
export async function migratorFor(db: Kysely<any>): Promise<Migrator> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: with two
  // schemas in one database (tests, DATABASE_SCHEMA) the second would find the first's tables.
  const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrationTableSchema = current.rows[0]?.schema;
  return new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
}

/** Applies every pending migration; never throws, the caller decides how to report. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrateOutcome> {
  const migrator = await migratorFor(db);
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return error === undefined ? { applied } : { applied, error };
}

/** What `helpdesk serve` reports while migrations wait to be applied. */
export const MIGRATIONS_PENDING = 'pending: run helpdesk migrate';

/** The names of the migrations not applied yet (all of them on a new database). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = await migratorFor(db);
  return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

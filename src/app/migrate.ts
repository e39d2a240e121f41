import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from 'kysely';

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

/**
 * One database-wide advisory lock for migrating and for dropping a schema. Kysely's migrator reads
 * the catalog of every schema in the database; a schema dropped meanwhile (another tenant's, or
 * another test file's) fails that read with "schema … does not exist".
 */
export const SCHEMA_LOCK_KEY = 7_400_301;

/** Runs `fn` on one connection that holds the schema lock. */
export async function withSchemaLock<T>(db: Kysely<any>, fn: (conn: Kysely<any>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SCHEMA_LOCK_KEY})`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`select pg_advisory_unlock(${SCHEMA_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Applies every pending migration; never throws, the caller decides how to report. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrateOutcome> {
  try {
    return await withSchemaLock(db, async (conn) => {
      const migrator = await migratorFor(conn);
      const { error, results } = await migrator.migrateToLatest();
      const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      return error === undefined ? { applied } : { applied, error };
    });
  } catch (error) {
    return { applied: [], error };
  }
}

/** What `helpdesk serve` reports while migrations wait to be applied. */
export const MIGRATIONS_PENDING = 'pending: run helpdesk migrate';

/**
 * The names of the migrations not applied yet (all of them on a new database). Read from this
 * schema's bookkeeping table alone, without the schema lock: readiness probes call it, and they
 * must not wait behind another schema's migration or a test's schema drop.
 */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const names = Object.keys(await provider.getMigrations()).sort();
  const ownTable = sql`quote_ident(current_schema()) || '.' || ${DEFAULT_MIGRATION_TABLE}`;
  const table = await sql<{ table: string | null }>`select to_regclass(${ownTable})::text as table`.execute(
    db,
  );
  if (!table.rows[0]?.table) return names;
  const applied = await sql<{ name: string }>`select name from ${sql.raw(table.rows[0].table)}`.execute(db);
  const done = new Set(applied.rows.map((row) => row.name));
  return names.filter((name) => !done.has(name));
}

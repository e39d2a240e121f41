import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Config, loadConfig } from '../../src/app/config.ts';
import { SCHEMA_LOCK_KEY } from '../../src/app/migrate.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Configuration for one test file: its own Postgres schema and queue, on the real services. */
export function testConfig(
  overrides: Record<string, string> = {},
  backend: 'redis' | 'postgres' = 'redis',
): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: uniqueName('t'),
    ...(backend === 'redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
    QUEUE_PREFIX: uniqueName('q'),
    PORT: '0',
    HOST: '127.0.0.1',
    CONSOLE: 'false',
    ...overrides,
  });
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  if (schema === 'public') return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    // Under the lock migrations take, so no other file's migrator is reading the catalog meanwhile.
    await client.query('select pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

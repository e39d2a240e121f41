import { Writable } from 'node:stream';
import pino from 'pino';
import { openDatabase } from '../../src/app/database.ts';
import { createLogger } from '../../src/app/logger.ts';
import { migrateToLatest } from '../../src/app/migrate.ts';
import type { Db } from '../../src/core/db.ts';
import type { Logger } from '../../src/core/logger.ts';
import { dropSchema, testConfig } from '../support/db.ts';

/** A fresh schema on the real Postgres with every migration applied. */
export async function createAgentsDatabase(): Promise<{ db: Db; schema: string; close(): Promise<void> }> {
  const config = testConfig();
  const database = await openDatabase(config, { poolSize: 4 });
  const outcome = await migrateToLatest(database.db);
  if (outcome.error) throw outcome.error;
  return {
    db: database.db,
    schema: config.DATABASE_SCHEMA,
    async close() {
      await database.close();
      await dropSchema(config.DATABASE_SCHEMA);
    },
  };
}

function lineCollector(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
}

/** A real pino logger at debug level whose lines the test can read. */
export function capturedLogger(): { log: Logger; lines: string[] } {
  const { stream, lines } = lineCollector();
  return { log: pino({ level: 'debug' }, stream) as unknown as Logger, lines };
}

/** The app's own process logger (its redaction paths included) at debug level, on a readable destination. */
export function capturedAppLogger(): { log: Logger; lines: string[] } {
  const { stream, lines } = lineCollector();
  return { log: createLogger({ LOG_LEVEL: 'debug', NODE_ENV: 'test' }, stream), lines };
}

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import v8 from 'node:v8';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Db } from '../core/db.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Config } from './config.ts';
import { maskUrl } from './config-report.ts';
import { DataDirInUseError, type DataDirLock, lockDataDir, waitForSharedOrFree } from './data-dir-lock.ts';
import { keepQueriesTogether } from './pglite-multiplexer.ts';

/** Counts and ids come back as JS numbers on both backends (int8 and numeric are text by default). */
const numberTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) {
      return (value: string) => (value === null ? null : Number(value));
    }
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * What a log line needs of a database error: pg's errors carry their whole client (hundreds of
 * lines), so a lost connection is logged by its code and message.
 */
export function databaseErrorFields(error: unknown): Record<string, unknown> {
  const e = error as { code?: unknown; message?: unknown; severity?: unknown } | undefined;
  if (e && (typeof e.severity === 'string' || /^(E[A-Z]+|57P0\d)$/.test(String(e.code))))
    return { code: e.code, error: String(e.message) };
  return { err: error };
}

/**
 * pg's Client with an 'error' listener from the start. The pool listens to its idle clients only;
 * a checked-out client whose server ends the session (57P01 "terminating connection" on a restart,
 * a reset socket) emits 'error' too, and an 'error' event nobody listens to ends the process. Its
 * query, if any, fails on its own; the pool drops the broken client and connects anew.
 */
export function listenedClient(log: Logger, what: string): typeof pg.Client {
  return class ListenedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', (error) => log.warn(databaseErrorFields(error), `${what}: connection lost`));
    }
  };
}

export interface Database {
  db: Db;
  pool: pg.Pool;
  /** A URL other clients (BullMQ's Postgres backend) can connect to. */
  url: string;
  embedded: boolean;
  /**
   * The pid of the process whose embedded database this connects through (one-shot commands while
   * a helpdesk runs on the same DATA_DIR); that process migrated it and owns its session.
   */
  borrowedFrom?: number;
  /** Sets the session search path on the embedded server (one shared session for all clients). */
  setEmbeddedSearchPath(path: string): Promise<void>;
  /** Lets other processes on the same DATA_DIR connect through this one (once it is ready). */
  share(): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  poolSize?: number;
  /**
   * When another process holds the embedded DATA_DIR: `refuse` (the default, for processes that run
   * workers or a console) or `connect` through its socket server (one-shot commands).
   */
  whenInUse?: 'refuse' | 'connect';
  /** Where lost connections are reported (they are survived either way). */
  log?: Logger;
}

/** The embedded Postgres's shared_buffers (see openEmbedded). */
const EMBEDDED_SHARED_BUFFERS = '16MB';

/** How long a one-shot command waits for a starting helpdesk to share its embedded database. */
const SHARE_WAIT_MS = 30_000;

/**
 * Opens Postgres: the configured DATABASE_URL, or an embedded PGlite in DATA_DIR served over its
 * socket server, so the same pg + Kysely code runs in both.
 */
export async function openDatabase(config: Config, options: OpenOptions = {}): Promise<Database> {
  const log = options.log ?? silentLogger;
  if (config.DATABASE_URL)
    return openExternal(config.DATABASE_URL, config.DATABASE_SCHEMA, log, options.poolSize);
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  for (;;) {
    const claim = lockDataDir(dataDir);
    if ('lock' in claim) return openEmbedded(dataDir, claim.lock, log, options.poolSize);
    if (options.whenInUse !== 'connect') throw new DataDirInUseError(dataDir, claim.holder);
    const holder = await waitForSharedOrFree(dataDir, SHARE_WAIT_MS);
    if (holder === 'free') continue;
    if (!holder.url) throw new DataDirInUseError(dataDir, holder);
    return connectThrough(holder.url, holder.pid, log, options.poolSize);
  }
}

/** One line naming the setting, whatever the driver's error (an AggregateError has no message). */
function unreachable(variable: string, url: string, error: unknown): Error {
  const e = error as { message?: string; code?: string; errors?: Array<{ message?: string }> };
  const reason = e?.message || e?.errors?.[0]?.message || e?.code || String(error);
  return new Error(`cannot connect to ${variable} (${maskUrl(url)}): ${reason}`);
}

/** Connects once before anything else, so a wrong URL is reported naming DATABASE_URL. */
async function checkConnection(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    if (schema !== 'public') await client.query(`create schema if not exists "${schema}"`);
    else await client.query('select 1');
  } catch (error) {
    throw unreachable('DATABASE_URL', url, error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A pool (int8 as numbers) and Kysely over it. A client that loses its connection, idle or checked
 * out, is logged and dropped, and the next query connects anew: a Postgres restart fails the
 * queries in flight, never the process.
 */
function poolDb(url: string, poolSize: number, log: Logger, options?: string): { pool: pg.Pool; db: Db } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: numberTypes,
    Client: listenedClient(log, 'database'),
    ...(options ? { options } : {}),
  });
  // The pool re-emits an idle client's error, which the client's own listener has logged.
  pool.on('error', () => {});
  return { pool, db: new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) as Db };
}

async function openExternal(url: string, schema: string, log: Logger, poolSize = 10): Promise<Database> {
  await checkConnection(url, schema);
  const { pool, db } = poolDb(
    url,
    poolSize,
    log,
    schema === 'public' ? undefined : `-c search_path=${schema}`,
  );
  return {
    db,
    pool,
    url,
    embedded: false,
    async setEmbeddedSearchPath() {},
    share() {},
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Creates the embedded database in a child process. PGlite's initdb grows its WebAssembly heaps by
 * hundreds of MB that are never given back (800 MB resident after a first start, against 300 MB
 * opening the same data again): they go away with the child.
 */
async function createEmbedded(pgdata: string): Promise<void> {
  const script =
    'const { PGlite } = await import(process.env.PGLITE_URL); const db = await PGlite.create({ dataDir: process.env.PGLITE_DIR }); await db.close();';
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, PGLITE_URL: import.meta.resolve('@electric-sql/pglite'), PGLITE_DIR: pgdata },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0)
    throw new Error(`cannot create the embedded database in ${pgdata}: ${stderr.trim() || `exit ${code}`}`);
}

/**
 * V8 lets the old generation grow to up to 4× what survived the last full collection before it
 * collects again. In the process that also hosts PGlite (about 145 MB of WebAssembly memory) that
 * garbage is most of the RSS under load: 20 DMs/s took the embedded `start` from 316 to 607 MB while
 * the live heap grew from 87 to 114 MB. Growing by 20% between full collections keeps it at 417 MB
 * (382–394 MB at 5 DMs/s, against 410–421) with the same reply latency (`npm run bench memory`).
 * The flag is read at every collection, so setting it now takes effect; a value given on the node
 * command line wins.
 */
function holdHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  v8.setFlagsFromString('--heap-growing-percent=20');
}

async function openEmbedded(
  dataDir: string,
  lock: DataDirLock,
  log: Logger,
  poolSize = 5,
): Promise<Database> {
  holdHeapGrowth();
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // pgvector ships with PGlite: vector search works in embedded mode as on a server that has it.
  const { vector } = await import('@electric-sql/pglite/vector');
  let pglite: InstanceType<typeof PGlite> | undefined;
  let server: InstanceType<typeof PGLiteSocketServer>;
  const pgdata = resolve(dataDir, 'pgdata');
  try {
    if (!existsSync(join(pgdata, 'PG_VERSION'))) await createEmbedded(pgdata);
    // Postgres touches all of shared_buffers at start-up, inside PGlite's heap: 128 MB (the default)
    // resident for a database that fits in a few MB. 16 MB holds a local helpdesk's working set.
    pglite = await PGlite.create({
      dataDir: pgdata,
      extensions: { vector },
      postgresqlconf: [`shared_buffers = ${EMBEDDED_SHARED_BUFFERS}`],
    });
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 64 });
    keepQueriesTogether(server);
    // An EventTarget: an unheard error does not end the process, but it should not go unseen either.
    server.addEventListener('error', (event) =>
      log.warn(databaseErrorFields((event as CustomEvent).detail), 'embedded database socket error'),
    );
    await server.start();
  } catch (error) {
    await pglite?.close().catch(() => {});
    lock.release();
    throw error;
  }
  const opened = pglite;
  const port = (server as unknown as { port: number }).port;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  const { pool, db } = poolDb(url, poolSize, log);
  return {
    db,
    pool,
    url,
    embedded: true,
    async setEmbeddedSearchPath(path: string) {
      await opened.exec(`set search_path to ${path}`);
    },
    share() {
      lock.share(url);
    },
    async close() {
      await db.destroy().catch(() => {});
      await server.stop().catch(() => {});
      await opened.close().catch(() => {});
      lock.release();
    },
  };
}

/** A client of another process's embedded database: its session, its migrations, its search path. */
async function connectThrough(url: string, pid: number, log: Logger, poolSize = 5): Promise<Database> {
  const { pool, db } = poolDb(url, poolSize, log);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect through process ${pid}, which holds the embedded database: ${error}`);
  }
  return {
    db,
    pool,
    url,
    embedded: true,
    borrowedFrom: pid,
    async setEmbeddedSearchPath() {
      // The session is the owner's: its search path is not this process's to change.
    },
    share() {},
    async close() {
      await db.destroy().catch(() => {});
    },
  };
}

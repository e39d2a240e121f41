/**
 * Real `helpdesk serve` and `helpdesk worker` processes on one Postgres schema and one queue, with
 * a Redis or a Postgres of the test's own when it must be restarted (the shared ones never are).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../../src/app/config.ts';
import { type Database, openDatabase } from '../../src/app/database.ts';
import { migrateToLatest } from '../../src/app/migrate.ts';
import { cliEnv, eventually, type RunningCli, readyz, startCli } from './cli.ts';
import { dropSchema, TEST_DATABASE_URL, uniqueName } from './db.ts';

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL: nothing is saved (`--save "" --appendonly no`), so it comes back empty. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A port nothing listens on now, for a child process to take. Picked below the system's ephemeral
 * range: a port the system hands out (port 0, or the local end of every Postgres and Redis
 * connection the suite opens) can be taken by an outgoing connection before the child listens, and
 * a random one inside that range collided with them in the full suite (the child then exited with
 * EADDRINUSE before it was ready).
 */
export async function freePort(): Promise<number> {
  const ephemeralFrom = ephemeralRangeStart();
  for (;;) {
    const port = ephemeralFrom - 12_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) continue;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }
}

/** The first port of the system's ephemeral range (Linux's default when it cannot be read). */
function ephemeralRangeStart(): number {
  try {
    const from = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return Number.isInteger(from) && from > 13_000 ? from : 32_768;
  } catch {
    return 32_768;
  }
}

async function pingable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A `redis-server` of this test's own on a spare port, keeping nothing on disk. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    url,
    port,
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      if (!(await eventually(() => pingable(url), 15_000)))
        throw new Error(`redis-server on ${port} did not start`);
    },
  };
  await server.start();
  return server;
}

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  url: string;
  port: number;
  /**
   * Stops the server: `fast` (SIGINT) ends every session with 57P01 "terminating connection due to
   * administrator command", as a restart or failover does; `immediate` (SIGQUIT) as a crash does.
   */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data directory (nothing is lost). */
  start(): Promise<void>;
  /** Stops it and deletes its data directory. */
  remove(): Promise<void>;
}

/** The newest Postgres server binaries on this machine (Debian keeps them out of PATH). */
function postgresBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? join(root, versions[0], 'bin', name) : name;
}

/** Postgres refuses to run as root: as root, its binaries run as the `postgres` user. */
function asPostgres(command: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...command] : command;
}

async function queryable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A Postgres server of this test's own on a spare port: `initdb` into a temporary directory (trust
 * authentication, no fsync), then `postgres` listening on 127.0.0.1 only.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  const [initdb, ...initArgs] = asPostgres([
    postgresBin('initdb'),
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
    '--no-instructions',
  ]);
  const init = spawnSync(initdb!, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error}`);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  const server: PostgresServer = {
    url,
    port,
    async start() {
      const [bin, ...args] = asPostgres([
        postgresBin('postgres'),
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ]);
      const started = spawn(bin!, args, { stdio: 'ignore' });
      child = started;
      exited = once(started, 'exit');
      if (
        !(await eventually(() => started.exitCode !== null || queryable(url), 30_000)) ||
        started.exitCode !== null
      )
        throw new Error(`postgres on ${port} did not start`);
    },
    async stop(mode = 'fast') {
      const running = child;
      if (!running || running.exitCode !== null) return;
      // The postmaster's pid (runuser stands between it and us).
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
      process.kill(pid, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
      await exited;
    },
    async remove() {
      await server.stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export interface Stack {
  schema: string;
  queuePrefix: string;
  database: Database;
  /** The environment every process of the stack gets, plus `extra`. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * A migrated schema of its own and the settings every process shares (on the shared Postgres unless
 * `settings` names a DATABASE_URL of the test's own).
 */
export async function prepareStack(settings: Record<string, string>): Promise<Stack> {
  const schema = uniqueName('t');
  const queuePrefix = uniqueName('q');
  const base = {
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    QUEUE_PREFIX: queuePrefix,
    CONSOLE: 'false',
    HOST: '127.0.0.1',
    ...settings,
  };
  const database = await openDatabase(loadConfig({ ...base, LOG_LEVEL: 'silent' }));
  const migrated = await migrateToLatest(database.db);
  if (migrated.error) throw migrated.error;
  return {
    schema,
    queuePrefix,
    database,
    env: (extra = {}) => cliEnv({ LOG_LEVEL: 'warn', ...base, ...extra }),
    async close() {
      await database.close();
      if (base.DATABASE_URL === TEST_DATABASE_URL) await dropSchema(schema);
    },
  };
}

/** Generous: on a loaded machine a process takes a while to load tsx, pg, BullMQ and the models. */
const START_TIMEOUT_MS = 240_000;

export interface Serve extends RunningCli {
  port: number;
  url: string;
}

/** `helpdesk serve` on a spare port, once `/readyz` answers 200. */
export async function startServe(stack: Stack, extra: Record<string, string> = {}): Promise<Serve> {
  const port = await freePort();
  const cli = startCli(['serve'], { env: stack.env({ PORT: String(port), ...extra }) });
  const ready = await eventually(
    async () => cli.child.exitCode !== null || (await readyz(port)).status === 200,
    START_TIMEOUT_MS,
  );
  if (!ready || cli.child.exitCode !== null)
    throw new Error(`helpdesk serve did not become ready: ${cli.stderr().slice(-2000)}`);
  return Object.assign(cli, { port, url: `http://127.0.0.1:${port}` });
}

/** `helpdesk worker`, once it says it is running. */
export async function startWorker(stack: Stack, extra: Record<string, string> = {}): Promise<RunningCli> {
  const cli = startCli(['worker'], { env: stack.env({ LOG_LEVEL: 'info', ...extra }) });
  const running = await eventually(
    () => cli.child.exitCode !== null || cli.stderr().includes('helpdesk worker is running'),
    START_TIMEOUT_MS,
  );
  if (!running || cli.child.exitCode !== null)
    throw new Error(`helpdesk worker did not start: ${cli.stderr().slice(-2000)}`);
  return cli;
}

/** SIGTERM (in-flight work finishes, spans are flushed) and wait for the exit. */
export async function stopGracefully(cli: RunningCli): Promise<{ code: number | null }> {
  if (cli.child.exitCode === null) cli.child.kill('SIGTERM');
  return cli.exited;
}

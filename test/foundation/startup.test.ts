/** Start-up says what is wrong: each case through the real CLI, with its one line and exit code. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_LOCK_KEY } from '../../src/app/migrate.ts';
import { cliEnv, eventually, firstAnswer, killRunning, readyz, runCli, startCli } from '../support/cli.ts';
import { dropSchema, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../support/db.ts';
import { freePort } from '../support/processes.ts';

const tmp = mkdtempSync(join(tmpdir(), 'helpdesk-startup-'));

afterAll(() => {
  killRunning();
  rmSync(tmp, { recursive: true, force: true });
});

describe('settings', () => {
  it('warns about unknown variables in .env, naming the closest setting, and first logs the database and queue', async () => {
    const cwd = join(tmp, 'typos');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, '.env'),
      'DATABSE_URL=postgres://bob:secret@db.example/helpdesk\nLOG_LEVLE=debug\nHELPDESK_ADMIN=alice@example.com\n',
    );
    const port = await freePort();
    const cli = startCli(['start'], { env: cliEnv({ PORT: String(port), HOST: '127.0.0.1' }), cwd });
    expect((await firstAnswer(port, cli)).status, cli.stderr().slice(-3000)).toBe(200);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    const lines = cli.stderr().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'helpdesk: warning: DATABSE_URL is not a setting and is ignored; did you mean DATABASE_URL?',
      'helpdesk: warning: HELPDESK_ADMIN is not a setting and is ignored; did you mean HELPDESK_ADMINS?',
      'helpdesk: warning: LOG_LEVLE is not a setting and is ignored; did you mean LOG_LEVEL?',
    ]);
    expect(JSON.parse(lines[3]!)).toMatchObject({
      msg: 'starting: database embedded PGlite at ./.data, queue BullMQ on the same database',
      database: 'embedded PGlite at ./.data',
    });
    expect(existsSync(join(cwd, '.data', 'pgdata'))).toBe(true);
  }, 150_000);

  it('refuses a Teams password and tenant without the app id in production, before opening the database', () => {
    const run = runCli(['start'], {
      env: cliEnv({
        NODE_ENV: 'production',
        MICROSOFT_APP_PASSWORD: 'secret',
        MICROSOFT_APP_TENANT_ID: 'tenant',
        // Were the database opened first, this would be the error instead (and the log line before it).
        DATABASE_URL: 'postgres://127.0.0.1:1/x',
      }),
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderrLines).toEqual([
      'helpdesk: Invalid MICROSOFT_APP_ID: it is missing, so Teams is off although MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID are set (set it, or TEAMS_ENABLED=false)',
    ]);
  });
});

describe('unreachable services are named by their setting', () => {
  it.each([['serve'], ['migrate']])('DATABASE_URL (helpdesk %s)', (command) => {
    const run = runCli([command], {
      env: cliEnv({ DATABASE_URL: 'postgres://bob:secret@127.0.0.1:1/x', LOG_LEVEL: 'warn' }),
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderrLines).toEqual([
      'helpdesk: cannot connect to DATABASE_URL (postgres://bob:****@127.0.0.1:1/x): connect ECONNREFUSED 127.0.0.1:1',
    ]);
  });

  it('REDIS_URL', () => {
    const run = runCli(['serve'], {
      env: cliEnv({
        DATABASE_URL: TEST_DATABASE_URL,
        REDIS_URL: 'redis://:secret@127.0.0.1:1/0',
        LOG_LEVEL: 'error',
      }),
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderrLines).toEqual([
      'helpdesk: cannot connect to REDIS_URL (redis://:****@127.0.0.1:1/0): connect ECONNREFUSED 127.0.0.1:1',
    ]);
  });
});

describe('helpdesk serve on a database nobody migrated', () => {
  it('answers /readyz 503 until `helpdesk migrate` ran, and logs why once', async () => {
    const schema = uniqueName('startup');
    const port = await freePort();
    const env = cliEnv({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: uniqueName('q'),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    try {
      const cli = startCli(['serve'], { env });
      expect(await firstAnswer(port, cli)).toEqual({
        status: 503,
        body: {
          status: 'unavailable',
          database: true,
          queue: true,
          migrations: 'pending: run helpdesk migrate',
        },
      });
      expect((await readyz(port)).status).toBe(503);
      const migrate = runCli(['migrate'], { env });
      expect(migrate.status, migrate.stderr).toBe(0);
      // Another schema's migration (or a test's schema drop) holds the database-wide schema lock:
      // the probe reads this schema's bookkeeping alone and does not wait behind it. A probe is
      // bounded (800 ms per check) and a busy machine may miss it once: poll like one.
      const other = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await other.connect();
      try {
        await other.query('select pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
        let ready = await readyz(port);
        for (let tries = 0; ready.status !== 200 && tries < 20; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          ready = await readyz(port);
        }
        expect(ready).toMatchObject({
          status: 200,
          body: { status: 'ready', migrations: 'up to date' },
        });
      } finally {
        await other.end();
      }
      cli.child.kill('SIGTERM');
      expect((await cli.exited).code).toBe(0);
      const pending = cli
        .stderr()
        .split('\n')
        .filter((line) => line.includes('pending'));
      expect(pending).toHaveLength(1);
      expect(JSON.parse(pending[0]!)).toMatchObject({
        level: 40,
        msg: 'database migrations are pending: run helpdesk migrate',
      });
    } finally {
      await dropSchema(schema);
    }
  }, 120_000);
});

describe('helpdesk eval refuses what it cannot score', () => {
  const noColumns = join(tmp, 'questions.csv');
  writeFileSync(noColumns, 'question,answer\nvpn down?,restart it\n');
  it.each([
    ['/nonexistent.csv', 'helpdesk: cannot read /nonexistent.csv: no such file'],
    [
      noColumns,
      `helpdesk: ${noColumns}: expected a header with the columns id,text (and any of category,priority,intent,self_service,language); missing id,text, found question,answer`,
    ],
  ])('%s', (file, line) => {
    const run = runCli(['eval', file], { env: cliEnv({ DATA_DIR: join(tmp, 'eval') }), timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderrLines).toEqual([line]);
    expect(run.stdout).toBe('');
  });
});

describe('the command line', () => {
  it('prints its version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = runCli([flag], { env: cliEnv() });
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '`npm start` stops on %s sent to npm, leaving nothing serving',
    async (signal) => {
      const dataDir = join(tmp, 'npm-start');
      const port = await freePort();
      const cli = startCli(['npm', 'start'], {
        env: cliEnv({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }),
      });
      expect((await firstAnswer(port, cli)).status, cli.stderr().slice(-3000)).toBe(200);
      cli.child.kill(signal);
      const exit = await Promise.race([
        cli.exited,
        new Promise((done) => setTimeout(() => done('running'), 30_000)),
      ]);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(await eventually(async () => (await readyz(port)).status === 0, 10_000)).toBe(true);
      expect(existsSync(join(dataDir, 'helpdesk.lock'))).toBe(false);
    },
    150_000,
  );
});

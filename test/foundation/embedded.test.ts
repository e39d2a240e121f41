import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-embedded-'));
const children: ChildProcess[] = [];
const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' };
const dirs = [dataDir];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `helpdesk start` without a terminal until /readyz answers 200, then stops it with SIGTERM. */
async function startUntilReady(extra: Record<string, string> = {}): Promise<number | null> {
  // A port nothing listens on (a random one once collided with another test's server).
  const port = await freePort();
  const child = spawn('node', ['bin/helpdesk.js', 'start'], {
    env: { ...env, PORT: String(port), ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // A first start creates the embedded database; on a loaded two-core CI machine that can take a while.
  const deadline = Date.now() + 90_000;
  let status = 0;
  while (Date.now() < deadline && status !== 200 && child.exitCode === null) {
    status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // When it stopped before it was ready, the failure shows what it said.
  expect(status, `exit code ${child.exitCode}; output:\n${output.slice(-3000)}`).toBe(200);
  child.kill('SIGTERM');
  return exited;
}

/** Opens the embedded database the CLI left in a data directory (only while no helpdesk runs on it). */
async function withEmbedded<T>(dir: string, fn: (db: PGlite) => Promise<T>): Promise<T> {
  const db = await PGlite.create({ dataDir: join(dir, 'pgdata') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('embedded mode (PGlite + BullMQ on Postgres), through the real CLI', () => {
  it('files a ticket from a piped console chat, and a second run on the same data files a second one', () => {
    const first = spawnSync('node', ['bin/helpdesk.js', 'chat', '--as', 'alice'], {
      input: 'my laptop will not boot\n',
      env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('filed ticket #1');
    expect(first.stdout).toMatch(/\[#triage\] \(c\d+\) 🤖 ┌ #1 · /);
    // Message ids go on where the last run stopped: a new message is not a reply in an old thread.
    const second = spawnSync('node', ['bin/helpdesk.js', 'chat', '--as', 'alice'], {
      input: 'my new monitor arrived with a cracked screen\nhelpdesk mine\n',
      env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('filed ticket #2');
    expect(second.stdout).not.toMatch(/\[#triage ↳ c\d+\]/);
    expect(second.stdout).toMatch(/#1 \[P\d\] .+ — new/);
    expect(second.stdout).toMatch(/#2 \[P\d\] .+ — new/);
    const firstIds = new Set([...first.stdout.matchAll(/\(([cu]\d+)\)/g)].map((m) => m[1]));
    for (const [, id] of second.stdout.matchAll(/\(([cu]\d+)\)/g)) expect(firstIds.has(id)).toBe(false);
  }, 200_000);

  it('serves HTTP with /readyz 200 when started without a terminal', async () => {
    expect(await startUntilReady()).toBe(0);
  }, 120_000);
});

describe('the demo knowledge base on a first `helpdesk start`', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'helpdesk-demo-kb-'));
  dirs.push(fresh);
  const articles = (db: PGlite) =>
    db
      .query<{ id: string; title: string }>('select id, title from kb_articles order by id')
      .then((r) => r.rows);

  it('is loaded without a terminal, found by search, and never re-imported over an admin’s changes', async () => {
    expect(await startUntilReady({ DATA_DIR: fresh })).toBe(0);
    await withEmbedded(fresh, async (db) => {
      const ids = (await articles(db)).map((a) => a.id);
      expect(ids).toEqual(expect.arrayContaining(['demo-vpn-mac', 'demo-vpn-windows', 'demo-wifi']));
      const hits = await db.query<{ id: string }>(
        "select id from kb_articles where search @@ websearch_to_tsquery('english', 'vpn') order by id",
      );
      expect(hits.rows.map((r) => r.id)).toContain('demo-vpn-mac');
      // An admin retires one article and rewords another.
      await db.query("delete from kb_articles where id = 'demo-wifi'");
      await db.query("update kb_articles set title = 'Our own VPN guide' where id = 'demo-vpn-mac'");
    });

    expect(await startUntilReady({ DATA_DIR: fresh })).toBe(0);
    await withEmbedded(fresh, async (db) => {
      const after = await articles(db);
      expect(after.map((a) => a.id)).not.toContain('demo-wifi');
      expect(after.find((a) => a.id === 'demo-vpn-mac')?.title).toBe('Our own VPN guide');
    });

    // And the console (a chat on the same data) answers `kb search vpn` from them.
    const chat = spawnSync('node', ['bin/helpdesk.js', 'chat', '--as', 'alice'], {
      input: 'helpdesk kb search vpn\n',
      env: { ...env, DATA_DIR: fresh },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(chat.status).toBe(0);
    expect(chat.stdout).toContain('Our own VPN guide');
  }, 300_000);
});

describe('in a terminal (simulated with --interactive)', () => {
  it('logs to a file in DATA_DIR, named once, and shows a busy port as one human line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-terminal-'));
    dirs.push(dir);
    // Something else already listens on the port.
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
    const { port } = busy.address() as { port: number };
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('node', ['bin/helpdesk.js', 'start', '--interactive'], {
        env: { ...env, DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'info' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += String(chunk);
      });
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
      });
      child.once('exit', (status) => resolve({ status, stdout, stderr }));
      child.stdin.end('helpdesk mine\n/quit\n');
    });
    busy.close();
    expect(result.status).toBe(0);
    const file = join(dir, 'helpdesk.log');
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      `Logs go to ${file}`,
      `⚠️  HTTP not started; the chat runs without it: listen EADDRINUSE: address already in use 0.0.0.0:${port}`,
    ]);
    // The chat itself shows no log line, JSON or stack.
    expect(result.stdout).toContain('You are alice.');
    expect(result.stdout).toContain('You have no tickets.');
    expect(result.stdout).not.toMatch(/"level"|EADDRINUSE|\n\s+at /);
    // The details are in the file.
    expect(existsSync(file)).toBe(true);
    const logged = readFileSync(file, 'utf8');
    expect(logged).toMatch(/"msg":"HTTP not started; the chat runs without it"/);
    expect(logged).toMatch(/"stack":"Error: listen EADDRINUSE/);
    expect(logged).toMatch(/"msg":"demo knowledge base loaded"/);
  }, 120_000);
});

describe('invalid configuration', () => {
  it.each([
    [{ DATABASE_URL: 'nonsense' }, /^helpdesk: Invalid DATABASE_URL: expected a postgres:\/\/ URL/],
    [{ PORT: 'abc' }, /^helpdesk: Invalid PORT: expected a port number/],
  ])('stops start-up with one line naming the variable (%o)', (bad, expected) => {
    const result = spawnSync('node', ['bin/helpdesk.js', 'start'], {
      env: { ...env, ...bad },
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });
});

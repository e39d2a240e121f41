import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-embedded-'));
const children: ChildProcess[] = [];
const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' };

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded mode (PGlite + BullMQ on Postgres), through the real CLI', () => {
  it('files a ticket from a piped console chat and keeps it across restarts', () => {
    const first = spawnSync('node', ['bin/helpdesk.js', 'chat', '--as', 'alice'], {
      input: 'my laptop will not boot\n',
      env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('filed ticket #1');
    expect(first.stdout).toMatch(/\[#triage\] \(c\d+\) 🤖 ┌ #1 · /);
    const second = spawnSync('node', ['bin/helpdesk.js', 'chat', '--as', 'alice'], {
      input: 'helpdesk mine\n',
      env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/#1 \[P\d\] .+ — new/);
  });

  it('serves HTTP with /readyz 200 when started without a terminal', async () => {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const child = spawn('node', ['bin/helpdesk.js', 'start'], {
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
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

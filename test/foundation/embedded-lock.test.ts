/**
 * One process at a time on an embedded DATA_DIR (PGlite is single-writer): a second long-running
 * process is refused with one line, a one-shot command connects through the running one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, eventually, firstAnswer, killRunning, readyz, runCli, startCli } from '../support/cli.ts';
import { freePort } from '../support/processes.ts';

const tmp = mkdtempSync(join(tmpdir(), 'helpdesk-lock-'));

afterAll(() => {
  killRunning();
  rmSync(tmp, { recursive: true, force: true });
});

const inUse = (dir: string, pid: number | undefined) =>
  `helpdesk: the embedded database in ${dir} is in use by process ${pid}; stop it first, or set DATA_DIR to another folder`;

/** The lock a running helpdesk keeps in its DATA_DIR; `url` once others may connect through it. */
function lockOf(dir: string): { pid: number; url?: string } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'helpdesk.lock'), 'utf8'));
  } catch {
    return undefined;
  }
}

describe('a second process on the embedded DATA_DIR of a running `helpdesk start`', () => {
  const dir = join(tmp, 'start');
  const env = cliEnv({ DATA_DIR: dir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' });

  it('is refused with one line when it runs workers (`start`, `chat`); `kb import` connects through it', async () => {
    const port = await freePort();
    const start = startCli(['start'], { env: { ...env, PORT: String(port) } });
    expect((await firstAnswer(port, start)).status, start.stderr().slice(-3000)).toBe(200);
    expect(lockOf(dir)).toMatchObject({ pid: start.child.pid, url: expect.stringMatching(/^postgres:\/\//) });

    const secondStart = runCli(['start'], { env: { ...env, PORT: String(await freePort()) } });
    expect(secondStart.status).toBe(1);
    expect(secondStart.stderrLines).toEqual([inUse(dir, start.child.pid)]);
    const chat = runCli(['chat', '--as', 'alice'], { env, input: 'my laptop will not boot\n' });
    expect(chat.status).toBe(1);
    expect(chat.stderrLines).toEqual([inUse(dir, start.child.pid)]);
    expect(chat.stdout).toBe('');

    const article = join(tmp, 'toner.md');
    writeFileSync(article, '# Replace the printer toner\n\nOpen the front panel and swap the cartridge.\n');
    const imported = runCli(['kb', 'import', article], { env });
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('imported 1, updated 0');

    // The first process went on serving, and stops cleanly.
    expect((await readyz(port)).status).toBe(200);
    start.child.kill('SIGTERM');
    expect((await start.exited).code).toBe(0);
    expect(lockOf(dir)).toBeUndefined();

    // The import landed in the same database: a chat on it (now free) finds the article.
    const search = runCli(['chat', '--as', 'alice'], { env, input: 'helpdesk kb search toner\n' });
    expect(search.status, search.stderr).toBe(0);
    expect(search.stdout).toContain('Replace the printer toner');
  }, 300_000);
});

describe('two `helpdesk chat` on the same DATA_DIR', () => {
  it('the second is told which process holds it; the first goes on and files its ticket', async () => {
    const dir = join(tmp, 'chats');
    const env = cliEnv({ DATA_DIR: dir, LOG_LEVEL: 'warn' });
    const first = startCli(['chat', '--as', 'alice'], { env, stdin: 'pipe' });
    // Ready once it shares its database: the lock then names its socket server.
    expect(
      await eventually(() => lockOf(dir)?.url !== undefined || first.child.exitCode !== null, 120_000),
    ).toBe(true);
    const second = runCli(['chat', '--as', 'bob'], { env, input: 'the printer is jammed\n' });
    expect(second.status).toBe(1);
    expect(second.stderrLines).toEqual([inUse(dir, first.child.pid)]);
    expect(second.stdout).toBe('');

    first.child.stdin?.end('my laptop will not boot\n');
    expect((await first.exited).code).toBe(0);
    expect(first.stdout()).toContain('filed ticket #1');
    expect(lockOf(dir)).toBeUndefined();
  }, 300_000);

  it('a lock left by a process that is gone does not stop the next one', () => {
    const dir = join(tmp, 'stale');
    const gone = runCli(['--version'], { env: cliEnv() }).pid;
    const first = runCli(['chat', '--as', 'alice'], {
      env: cliEnv({ DATA_DIR: dir, LOG_LEVEL: 'warn' }),
      input: '',
    });
    expect(first.status, first.stderr).toBe(0);
    writeFileSync(
      join(dir, 'helpdesk.lock'),
      JSON.stringify({ pid: gone, url: 'postgres://127.0.0.1:1/gone' }),
    );
    const next = runCli(['chat', '--as', 'alice'], {
      env: cliEnv({ DATA_DIR: dir, LOG_LEVEL: 'warn' }),
      input: 'my laptop will not boot\n',
    });
    expect(next.status, next.stderr).toBe(0);
    expect(next.stdout).toContain('filed ticket #1');
  }, 200_000);
});

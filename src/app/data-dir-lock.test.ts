import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir, waitForSharedOrFree } from './data-dir-lock.ts';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A pid that existed and is gone. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid;

describe('the embedded DATA_DIR lock', () => {
  it('is taken once; a second claim in the same process is told who holds it; release frees it', () => {
    const dir = freshDir();
    const first = lockDataDir(dir);
    if (!('lock' in first)) throw new Error('expected the lock');
    expect(JSON.parse(readFileSync(join(dir, 'helpdesk.lock'), 'utf8'))).toEqual({ pid: process.pid });
    expect(lockDataDir(dir)).toEqual({ holder: { pid: process.pid } });
    first.lock.share('postgres://postgres@127.0.0.1:5555/postgres');
    expect(lockDataDir(dir)).toEqual({
      holder: { pid: process.pid, url: 'postgres://postgres@127.0.0.1:5555/postgres' },
    });
    first.lock.release();
    expect(existsSync(join(dir, 'helpdesk.lock'))).toBe(false);
    const again = lockDataDir(dir);
    expect('lock' in again).toBe(true);
    if ('lock' in again) again.lock.release();
  });

  it('reports a live holder from another process', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'helpdesk.lock'), JSON.stringify({ pid: process.ppid }));
    const claim = lockDataDir(dir);
    expect(claim).toEqual({ holder: { pid: process.ppid } });
    if ('holder' in claim) {
      expect(new DataDirInUseError(dir, claim.holder).message).toBe(
        `the embedded database in ${dir} is in use by process ${process.ppid}; stop it first, or set DATA_DIR to another folder`,
      );
    }
    // A one-shot command waits (bounded) for the holder to share, then gets the holder as it is.
    expect(await waitForSharedOrFree(dir, 300)).toEqual({ pid: process.ppid });
  });

  it('takes over a lock whose process is gone, or that carries our own pid from an earlier life', () => {
    for (const pid of [deadPid(), process.pid]) {
      const dir = freshDir();
      writeFileSync(join(dir, 'helpdesk.lock'), JSON.stringify({ pid, url: 'postgres://gone' }));
      const claim = lockDataDir(dir);
      expect('lock' in claim).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'helpdesk.lock'), 'utf8'))).toEqual({ pid: process.pid });
      if ('lock' in claim) claim.lock.release();
    }
  });

  it('takes over an empty lock file (a process killed between creating and writing it)', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'helpdesk.lock'), '');
    const claim = lockDataDir(dir);
    expect('lock' in claim).toBe(true);
    if ('lock' in claim) claim.lock.release();
  });
});

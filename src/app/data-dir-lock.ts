/**
 * One process at a time on an embedded DATA_DIR. PGlite is single-writer: two processes opening the
 * same files would corrupt the database. The owner writes `helpdesk.lock` (its pid, and once it
 * shares the database, the URL of its socket server); a second process either connects through that
 * server or is told which process holds the folder.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

export interface LockHolder {
  pid: number;
  /** The owner's socket server, once it accepts other processes. */
  url?: string;
}

export interface DataDirLock {
  /** Lets other processes connect through this one's socket server. */
  share(url: string): void;
  release(): void;
}

const FILE = 'helpdesk.lock';
/** Folders this process holds (a pid in the file equal to ours is stale unless listed here). */
const held = new Set<string>();

/** The error a second process gets when it may not use the folder. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, holder: LockHolder) {
    super(
      `the embedded database in ${shownDir(dataDir)} is in use by process ${holder.pid}; ` +
        'stop it first, or set DATA_DIR to another folder',
    );
    this.name = 'DataDirInUseError';
  }
}

function shownDir(dataDir: string): string {
  const rel = relative(process.cwd(), dataDir);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? dataDir : `./${rel}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number') return 'unreadable';
    return { pid: parsed.pid, ...(typeof parsed.url === 'string' ? { url: parsed.url } : {}) };
  } catch {
    return 'unreadable';
  }
}

/** Replaces the lock file's content in one step, so a reader never sees half of it. */
function writeAtomically(path: string, holder: LockHolder): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(holder));
  renameSync(temporary, path);
}

/**
 * Takes the folder for this process, or says who holds it. A lock left by a process that is gone
 * (killed, crashed, or a container restarted with the same pid) is taken over.
 */
export function lockDataDir(dataDir: string): { lock: DataDirLock } | { holder: LockHolder } {
  const path = join(dataDir, FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder === 'missing') continue;
      if (holder === 'unreadable') {
        // Another process is between creating the file and writing it, or it was left empty.
        if (attempt < 3) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
          continue;
        }
      } else if (alive(holder.pid) && (holder.pid !== process.pid || held.has(path))) {
        return { holder };
      }
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; try again.
      }
      continue;
    }
    held.add(path);
    const release = () => {
      if (!held.delete(path)) return;
      process.off('exit', release);
      try {
        const holder = readHolder(path);
        if (typeof holder === 'object' && holder.pid === process.pid) unlinkSync(path);
      } catch {
        // Already gone.
      }
    };
    process.on('exit', release);
    return {
      lock: {
        share(url) {
          if (held.has(path)) writeAtomically(path, { pid: process.pid, url });
        },
        release,
      },
    };
  }
  throw new Error(`could not lock the embedded database in ${shownDir(dataDir)} (${path})`);
}

/**
 * For a one-shot command while another process holds the folder: waits (bounded) until the owner
 * shares its server (the holder then has a `url` to connect through) or the folder is free (lock it
 * then). After the timeout, the holder as it is.
 */
export async function waitForSharedOrFree(dataDir: string, timeoutMs: number): Promise<'free' | LockHolder> {
  const path = join(dataDir, FILE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const holder = readHolder(path);
    if (holder === 'missing') return 'free';
    if (holder !== 'unreadable') {
      if (!alive(holder.pid) || (holder.pid === process.pid && !held.has(path))) return 'free';
      if (holder.url || Date.now() >= deadline) return holder;
    } else if (Date.now() >= deadline) return 'free';
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

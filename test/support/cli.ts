/** Drives the real CLI (`node bin/helpdesk.js …`) as a separate process, with bounded waits. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { KNOWN_SETTINGS } from '../../src/app/config-report.ts';

export const BIN = resolve('bin/helpdesk.js');

/**
 * The test process's environment without any helpdesk setting or look-alike (the developer's own
 * DATABASE_URL, OPENAI_API_KEY…), plus `extra`: what a test sets is all the CLI sees.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const prefixes = /^(HELPDESK_|DATABASE|REDIS|SLACK_|MICROSOFT_|TEAMS_|OPENAI_|AZURE_|LLM_|LOG_)/;
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!KNOWN_SETTINGS.includes(name) && !prefixes.test(name)) env[name] = value;
  return { ...env, ...extra };
}

export function runCli(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; input?: string; timeout?: number },
) {
  const result = spawnSync('node', [BIN, ...args], {
    env: options.env,
    cwd: options.cwd ?? process.cwd(),
    encoding: 'utf8',
    timeout: options.timeout ?? 90_000,
    ...(options.input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input: options.input }),
  });
  const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
  return { ...result, stderrLines: lines(result.stderr ?? ''), stdoutLines: lines(result.stdout ?? '') };
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];

/** Starts a long-running command (or any command line, e.g. `npm start`) and collects its output. */
export function startCli(
  command: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; stdin?: 'pipe' | 'ignore' },
): RunningCli {
  const [file, ...args] = command[0] === 'npm' ? command : ['node', BIN, ...command];
  const child = spawn(file!, args, {
    env: options.env,
    cwd: options.cwd ?? process.cwd(),
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Kills whatever a test left running (afterAll). */
export function killRunning(): void {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

/** GET /readyz: status and body, or status 0 while nothing listens. */
export async function readyz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch {
    return { status: 0, body: {} };
  }
}

/** Polls /readyz until it answers at all (any status), the process ends, or the deadline passes. */
export async function firstAnswer(port: number, cli: RunningCli, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await readyz(port);
    if (answer.status !== 0 || cli.child.exitCode !== null || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Polls until `check` holds or the deadline passes; returns whether it held. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

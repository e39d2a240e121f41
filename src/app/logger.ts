import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { Logger } from '../core/logger.ts';
import type { Config } from './config.ts';

const options = (config: Pick<Config, 'LOG_LEVEL'>): pino.LoggerOptions => ({
  level: config.LOG_LEVEL,
  base: undefined,
  redact: { paths: ['text', '*.text', 'payload', '*.payload', 'body.message'], censor: '[redacted]' },
});

/** One pino logger for the process; message text only ever at debug level, and redacted. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>,
  destination?: pino.DestinationStream,
): pino.Logger & Logger {
  return pino(options(config), destination ?? pino.destination({ dest: 2, sync: false })) as pino.Logger &
    Logger;
}

/** A pino JSON line as one line a person reads: `⚠️  what happened: why` (no stack, no JSON). */
function humanLine(json: string): string {
  let entry: { msg?: unknown; err?: { message?: unknown } };
  try {
    entry = JSON.parse(json) as typeof entry;
  } catch {
    return `⚠️  ${json.trim()}`;
  }
  const why = typeof entry.err?.message === 'string' ? `: ${entry.err.message}` : '';
  return `⚠️  ${String(entry.msg ?? 'something went wrong')}${why}`.replace(/\s*\n\s*/g, ' ');
}

/**
 * The logger of a process that chats in a terminal, where JSON lines would break the prompt:
 * every entry goes to `file`, and a warning or error also appears on `terminal` as one human line.
 */
export function createTerminalLogger(
  config: Pick<Config, 'LOG_LEVEL'>,
  file: string,
  terminal: { write(text: string): unknown },
): pino.Logger & Logger {
  mkdirSync(dirname(file), { recursive: true });
  const streams = pino.multistream([
    { level: 'trace', stream: pino.destination({ dest: file, sync: true, append: true }) },
    { level: 'warn', stream: { write: (line: string) => terminal.write(`${humanLine(line)}\n`) } },
  ]);
  return pino(options(config), streams) as pino.Logger & Logger;
}

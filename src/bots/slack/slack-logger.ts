import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';

function line(parts: unknown[]): string {
  return parts
    .map((part) =>
      part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part),
    )
    .join(' ');
}

/**
 * Bolt and the WebClient log through @slack/logger's interface; this routes them into our pino
 * logger (debug stays at debug, so request bodies never reach an info-level log).
 */
export function toSlackLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...parts) => log.debug(line(parts)),
    info: (...parts) => log.info(line(parts)),
    warn: (...parts) => log.warn(line(parts)),
    error: (...parts) => log.error(line(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

import pino from 'pino';
import type { Logger } from '../core/logger.ts';
import type { Config } from './config.ts';

/** One pino logger for the process; message text only ever at debug level, and redacted. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>,
  destination?: pino.DestinationStream,
): pino.Logger & Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: undefined,
      redact: { paths: ['text', '*.text', 'payload', '*.payload', 'body.message'], censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  ) as pino.Logger & Logger;
}

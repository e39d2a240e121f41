import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.ts';

export const OMITTED = '[payload omitted]';

/**
 * Where the SDKs put a payload into a log line: a serialised object or array (Socket Mode's
 * "Received a message on the WebSocket: {…}", the WebClient's "http request body: {…}", Bolt's
 * developer-mode body), or text that did not parse as JSON ("… (will ignore): SyntaxError…, <raw>").
 */
const PAYLOAD_START = /[{[]|\(will ignore\):/;

/** Keeps the SDK's own wording and drops whatever payload follows it (message text, e-mails, names). */
export function scrubSdkLine(line: string): string {
  const at = line.search(PAYLOAD_START);
  if (at === -1) return line;
  const keep = line.slice(0, at).trimEnd();
  return keep ? `${keep} ${OMITTED}` : OMITTED;
}

function line(parts: unknown[]): string {
  return parts
    .map((part) => {
      if (part instanceof Error) return part.message;
      // Objects handed to the logger are payloads (bodies, envelopes); only their absence is logged.
      if (typeof part !== 'string') return typeof part === 'object' && part !== null ? OMITTED : String(part);
      return part;
    })
    .map(scrubSdkLine)
    .join(' ');
}

/**
 * Bolt, the WebClient and the Socket Mode client log through @slack/logger's interface; this routes
 * them into our pino logger. Their debug lines carry raw envelopes and request bodies (message text,
 * e-mails from users.info), so every line loses its payload before it reaches any log level.
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

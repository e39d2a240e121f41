import { HelpdeskError } from '../../core/errors.ts';

/**
 * Keeps sends to one conversation under Teams' per-bot, per-conversation limits inside this
 * process: sliding windows per key, waiting instead of provoking 429s. Other processes are not
 * counted; their excess comes back as 429 with Retry-After, which the outbox honours.
 */
export interface Pacer {
  /**
   * Resolves when one more send to `key` fits in every window (and counts it). A wait longer than
   * `maxWaitMs` is not slept through: it throws a transient delivery failure whose `retryAfter`
   * hands the send back to the outbox, so a job does not hold its row for up to an hour.
   */
  wait(key: string): Promise<void>;
}

/** At most `limit` sends in any `ms` milliseconds. */
export interface PaceWindow {
  limit: number;
  ms: number;
}

/** Teams' documented "send to conversation" limits per bot and conversation (1:1, group chat, channel). */
export const TEAMS_CONVERSATION_WINDOWS: readonly PaceWindow[] = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1800, ms: 3_600_000 },
];

export interface PacerOptions {
  windows?: readonly PaceWindow[];
  /** The longest a send sleeps in the pacer (default 5 s); longer waits go back to the outbox. */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const windows = options.windows ?? TEAMS_CONVERSATION_WINDOWS;
  const longest = Math.max(...windows.map((window) => window.ms));
  const maxWaitMs = options.maxWaitMs ?? 5_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Send times per key, oldest first, kept for the longest window. */
  const sent = new Map<string, number[]>();

  return {
    async wait(key) {
      for (;;) {
        const at = now();
        const times = sent.get(key) ?? [];
        const expired = times.findIndex((time) => time > at - longest);
        times.splice(0, expired < 0 ? times.length : expired);
        const waitMs = Math.max(0, ...windows.map((window) => untilFree(times, window, at)));
        if (waitMs === 0) {
          times.push(at);
          sent.set(key, times);
          forgetIdle(sent, at - longest);
          return;
        }
        sent.set(key, times);
        if (waitMs > maxWaitMs) {
          throw new HelpdeskError(
            'transient_delivery_failure',
            `Teams delivery held back: this conversation is at Teams' message limit for ${Math.ceil(waitMs / 1000)} s`,
            { retryAfter: Math.ceil(waitMs / 1000), reason: 'rate_limited', waitFor: 'rate_limit' },
          );
        }
        await sleep(waitMs);
      }
    },
  };
}

/** How long until one more send fits in `window`: when enough of the sends inside it have left. */
function untilFree(times: number[], window: PaceWindow, at: number): number {
  let inside = 0;
  for (let i = times.length - 1; i >= 0 && times[i]! > at - window.ms; i--) inside++;
  if (inside < window.limit) return 0;
  // Sends leave oldest first; once the one `limit` from the newest has left, one more fits.
  return times[times.length - window.limit]! + window.ms - at;
}

/** Drops conversations with no send inside the longest window, so the map does not grow without bound. */
function forgetIdle(sent: Map<string, number[]>, cutoff: number): void {
  if (sent.size < 1000) return;
  for (const [key, times] of sent) if ((times.at(-1) ?? 0) <= cutoff) sent.delete(key);
}

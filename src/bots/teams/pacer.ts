/**
 * Keeps sends to one conversation under Teams' per-conversation limit (about 7 messages a second
 * per bot) inside this process: a sliding window per key, waiting instead of provoking 429s.
 */
export interface Pacer {
  /** Resolves when one more send to `key` fits in the window (and counts it). */
  wait(key: string): Promise<void>;
}

export interface PacerOptions {
  limit?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const limit = options.limit ?? 7;
  const windowMs = options.windowMs ?? 1000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const sent = new Map<string, number[]>();

  return {
    async wait(key) {
      for (;;) {
        const at = now();
        const recent = (sent.get(key) ?? []).filter((time) => time > at - windowMs);
        if (recent.length < limit) {
          recent.push(at);
          sent.set(key, recent);
          forgetIdle(sent, at - windowMs);
          return;
        }
        sent.set(key, recent);
        await sleep(recent[0]! + windowMs - at);
      }
    },
  };
}

/** Drops conversations with no send inside the window, so the map does not grow without bound. */
function forgetIdle(sent: Map<string, number[]>, cutoff: number): void {
  if (sent.size < 1000) return;
  for (const [key, times] of sent) if ((times.at(-1) ?? 0) <= cutoff) sent.delete(key);
}

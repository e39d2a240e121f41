/**
 * The limits on model calls: one time budget per message across all its calls, and a circuit
 * breaker per provider that stops calling a failing one for a while and then lets one probe through.
 */

/** A message's deadline for all of its model calls, on the monotonic clock. */
export interface Budget {
  readonly deadline: number;
}

export const startBudget = (ms: number): Budget => ({ deadline: performance.now() + ms });

/** Milliseconds left of the budget (never negative). */
export const remainingMs = (budget: Budget): number =>
  Math.max(0, Math.round(budget.deadline - performance.now()));

export type BreakerDecision = { allow: true; probe: boolean } | { allow: false; until: number };

export interface Breaker {
  /** Whether a call may go out now; a half-open breaker lets exactly one probe through. */
  check(): BreakerDecision;
  /** The call answered (even with an invalid answer: the provider is up). */
  succeeded(): void;
  /** The call failed or timed out; `retryAfterMs` is the provider's Retry-After, when it sent one. */
  failed(retryAfterMs?: number): void;
  readonly state: 'closed' | 'open' | 'half-open';
}

export interface BreakerSettings {
  /** Consecutive failures that open it. */
  failures: number;
  /** How long it stays open; a longer Retry-After wins. */
  cooldownMs: number;
  /** Wall-clock milliseconds; tests pass their own. */
  now?: () => number;
}

/** A breaker for one provider (the router builds one for its model). */
export function createBreaker(settings: BreakerSettings): Breaker {
  const now = settings.now ?? Date.now;
  let failures = 0;
  let openUntil = 0;
  let probing = false;
  const open = (ms: number) => {
    openUntil = now() + ms;
    probing = false;
  };
  return {
    get state() {
      if (openUntil === 0) return 'closed';
      return now() < openUntil ? 'open' : 'half-open';
    },
    check() {
      if (openUntil === 0) return { allow: true, probe: false };
      if (now() < openUntil || probing) return { allow: false, until: openUntil };
      probing = true;
      return { allow: true, probe: true };
    },
    succeeded() {
      failures = 0;
      openUntil = 0;
      probing = false;
    },
    failed(retryAfterMs) {
      failures += 1;
      // A provider that says when to come back is believed at once; otherwise only a run of failures opens it.
      if (retryAfterMs !== undefined) open(Math.max(retryAfterMs, 1000));
      else if (probing || failures >= settings.failures) open(settings.cooldownMs);
    },
  };
}

/** Retry-After (seconds or an HTTP date) of a provider's error, in milliseconds. */
export function retryAfterMs(error: unknown, nowMs = Date.now()): number | undefined {
  const headers = (error as { headers?: unknown })?.headers;
  let value: string | null | undefined;
  if (headers && typeof (headers as Headers).get === 'function')
    value = (headers as Headers).get('retry-after');
  else if (headers && typeof headers === 'object')
    value = (headers as Record<string, string | undefined>)['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

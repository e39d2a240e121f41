/**
 * How the queue retries a delivery that failed with a transient error (5xx, timeout, connection
 * refused): capped exponential backoff, never sooner than a Retry-After the platform sent, for
 * DELIVERY_RETRY_HOURS in all; then the delivery is a dead letter. Rate limits and paused workspaces
 * are not failures and never reach this (they are delayed jobs, see queue.ts).
 */

/** The backoff type of deliver jobs; BullMQ calls the worker's `backoffStrategy` for it. */
export const DELIVERY_BACKOFF = 'delivery';
const FIRST_BACKOFF_MS = 1000;
/** Attempts are bounded even for a week of retries with a 1 s cap. */
const MAX_ATTEMPTS = 100_000;

export interface RetryPolicy {
  retryHours: number;
  backoffMaxSeconds: number;
}

/** The wait before retry number `attempt` (1 = after the first failure), without jitter. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const cap = policy.backoffMaxSeconds * 1000;
  return Math.min(cap, FIRST_BACKOFF_MS * 2 ** Math.min(30, Math.max(0, attempt - 1)));
}

/** How many attempts make the retries add up to DELIVERY_RETRY_HOURS. */
export function deliveryAttempts(policy: RetryPolicy): number {
  const budget = policy.retryHours * 3_600_000;
  let spent = 0;
  let attempts = 1;
  while (spent < budget && attempts < MAX_ATTEMPTS) {
    spent += backoffMs(attempts, policy);
    attempts++;
  }
  return attempts;
}

/**
 * BullMQ's `backoffStrategy` for deliver jobs: the capped backoff with ±10 % jitter, or the
 * platform's Retry-After (seconds, on the error) when that is longer.
 */
export function deliveryBackoff(policy: RetryPolicy) {
  return (attemptsMade: number, _type?: string, error?: Error): number => {
    const jittered = backoffMs(attemptsMade, policy) * (0.9 + Math.random() * 0.2);
    const retryAfter = (error as { retryAfter?: unknown } | undefined)?.retryAfter;
    const floor = typeof retryAfter === 'number' && retryAfter > 0 ? retryAfter * 1000 : 0;
    return Math.round(Math.max(jittered, floor));
  };
}

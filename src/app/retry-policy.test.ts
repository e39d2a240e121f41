import { describe, expect, it } from 'vitest';
import { backoffMs, deliveryAttempts, deliveryBackoff } from './retry-policy.ts';

const policy = { retryHours: 4, backoffMaxSeconds: 300 };

describe('the delivery retry policy', () => {
  it('doubles the wait from 1 s and never waits longer than the cap', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, policy))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(9, policy)).toBe(256_000);
    expect(backoffMs(10, policy)).toBe(300_000);
    expect(backoffMs(500, policy)).toBe(300_000);
  });

  it('makes enough attempts for the retries to span DELIVERY_RETRY_HOURS, and no more', () => {
    for (const hours of [0.01, 1, 4, 24]) {
      const p = { ...policy, retryHours: hours };
      const attempts = deliveryAttempts(p);
      let waited = 0;
      for (let attempt = 1; attempt < attempts; attempt++) waited += backoffMs(attempt, p);
      expect(waited).toBeGreaterThanOrEqual(hours * 3_600_000);
      expect(waited - backoffMs(attempts - 1, p)).toBeLessThan(hours * 3_600_000);
    }
    // Far more than the 8 attempts deliveries used to get.
    expect(deliveryAttempts(policy)).toBeGreaterThan(8);
  });

  it('waits at least the Retry-After a failure carried, even when the backoff is shorter', () => {
    const strategy = deliveryBackoff(policy);
    const withRetryAfter = Object.assign(new Error('503'), { retryAfter: 30 });
    for (let i = 0; i < 20; i++) {
      expect(strategy(1, 'delivery', withRetryAfter)).toBeGreaterThanOrEqual(30_000);
      const plain = strategy(3, 'delivery', new Error('503'));
      expect(plain).toBeGreaterThanOrEqual(3600);
      expect(plain).toBeLessThanOrEqual(4400);
    }
  });
});

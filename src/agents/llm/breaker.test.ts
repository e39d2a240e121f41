import { describe, expect, it } from 'vitest';
import { createBreaker, retryAfterMs } from './breaker.ts';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('circuit breaker', () => {
  it('opens after the configured failures, then lets exactly one probe through', () => {
    const c = clock();
    const breaker = createBreaker({ failures: 2, cooldownMs: 10_000, now: c.now });
    breaker.failed();
    expect(breaker.check()).toEqual({ allow: true, probe: false });
    breaker.failed();
    expect(breaker.check().allow).toBe(false);
    c.advance(10_000);
    expect(breaker.check()).toEqual({ allow: true, probe: true });
    expect(breaker.check().allow).toBe(false);
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
  });

  it('a failed probe opens it again for the cooldown', () => {
    const c = clock();
    const breaker = createBreaker({ failures: 1, cooldownMs: 5000, now: c.now });
    breaker.failed();
    c.advance(5000);
    expect(breaker.check().allow).toBe(true);
    breaker.failed();
    expect(breaker.check().allow).toBe(false);
    c.advance(4999);
    expect(breaker.check().allow).toBe(false);
  });

  it('Retry-After opens it at once, for as long as the provider asked', () => {
    const c = clock();
    const breaker = createBreaker({ failures: 5, cooldownMs: 1000, now: c.now });
    breaker.failed(120_000);
    c.advance(119_000);
    expect(breaker.check().allow).toBe(false);
    c.advance(1000);
    expect(breaker.check().allow).toBe(true);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs({ headers: new Headers({ 'retry-after': '7' }) })).toBe(7000);
    const now = Date.parse('2026-12-05T10:00:00Z');
    expect(retryAfterMs({ headers: { 'retry-after': 'Sat, 05 Dec 2026 10:00:30 GMT' } }, now)).toBe(30_000);
    expect(retryAfterMs(new Error('x'))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { deliveryError, parseRetryAfter } from './delivery-errors.ts';

function restError(status: number, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`status ${status}`), {
    statusCode: status,
    response: { status, headers: { get: (name: string) => headers[name.toLowerCase()] } },
  });
}

describe('Teams delivery errors', () => {
  it('treats 429 as transient and keeps the Retry-After seconds', () => {
    const error = deliveryError(restError(429, { 'retry-after': '7' }));
    expect(error.code).toBe('transient_delivery_failure');
    expect(error.retryAfter).toBe(7);
  });

  it.each([412, 502, 504, 503, 500])(
    'treats HTTP %i as transient, leaving the backoff to the outbox',
    (status) => {
      const error = deliveryError(restError(status));
      expect(error.code).toBe('transient_delivery_failure');
      expect(error.retryAfter).toBeUndefined();
    },
  );

  it.each([403, 404, 400, 401])('treats HTTP %i as permanent', (status) => {
    expect(deliveryError(restError(status)).code).toBe('permanent_delivery_failure');
  });

  it('explains a 404 as the conversation being gone', () => {
    expect(deliveryError(restError(404)).message).toMatch(/conversation not found/);
  });

  it('treats a refused connection as transient, even when wrapped by the SDK', () => {
    const wrapped = new Error('turn failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(deliveryError(wrapped).code).toBe('transient_delivery_failure');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:10 GMT', Date.parse('2026-11-26T09:00:00Z'))).toBe(10);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

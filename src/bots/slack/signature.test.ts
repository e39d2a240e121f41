import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/slack/fixtures/index.ts';
import { checkSlackSignature } from './signature.ts';

interface Vector {
  signingSecret: string;
  timestamp: number;
  signature: string;
  rawBody: string;
}

const vector = fixture<Vector>('signing-test-vector');
const request = (overrides: Partial<Parameters<typeof checkSlackSignature>[0]> = {}) => ({
  signingSecret: vector.signingSecret,
  signature: vector.signature,
  timestamp: String(vector.timestamp),
  rawBody: vector.rawBody,
  nowMs: vector.timestamp * 1000,
  ...overrides,
});

describe('Slack request signatures', () => {
  it("accepts Slack's published signing example when the clock is at its timestamp", () => {
    expect(checkSlackSignature(request())).toEqual({ ok: true });
  });

  it('rejects the same request as stale five minutes and one second later (and as far ahead)', () => {
    expect(checkSlackSignature(request({ nowMs: (vector.timestamp + 300) * 1000 }))).toEqual({ ok: true });
    expect(checkSlackSignature(request({ nowMs: (vector.timestamp + 301) * 1000 }))).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(checkSlackSignature(request({ nowMs: (vector.timestamp - 301) * 1000 }))).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('rejects a changed body, a wrong secret or a foreign signature version', () => {
    expect(checkSlackSignature(request({ rawBody: `${vector.rawBody}&x=1` }))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(checkSlackSignature(request({ signingSecret: 'another-secret' }))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(checkSlackSignature(request({ signature: vector.signature.replace('v0=', 'v1=') }))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects missing headers', () => {
    expect(checkSlackSignature(request({ signature: undefined }))).toEqual({ ok: false, reason: 'missing' });
    expect(checkSlackSignature(request({ timestamp: undefined }))).toEqual({ ok: false, reason: 'missing' });
    expect(checkSlackSignature(request({ timestamp: 'yesterday' }))).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('agrees with an HMAC computed independently over v0:timestamp:body', () => {
    const body = '{"type":"event_callback"}';
    const ts = 1_764_200_000;
    const signature = `v0=${createHmac('sha256', 's3cret').update(`v0:${ts}:${body}`).digest('hex')}`;
    expect(
      checkSlackSignature({
        signingSecret: 's3cret',
        signature,
        timestamp: String(ts),
        rawBody: body,
        nowMs: ts * 1000,
      }),
    ).toEqual({ ok: true });
  });
});

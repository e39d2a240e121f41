import { verifySlackRequest } from '@slack/bolt';

/** Slack signs each request with a timestamp; older (or further ahead) than this is a replay. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

export interface SignedRequest {
  signingSecret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: string;
  nowMs: number;
}

/**
 * Checks `x-slack-signature` over `v0:{timestamp}:{raw body}` within the 5-minute window. The HMAC
 * comparison is Bolt's (`verifySlackRequest`); the window is checked both ways here, since Bolt
 * only rejects timestamps in the past.
 */
export function checkSlackSignature(request: SignedRequest): SignatureCheck {
  const { signature, timestamp } = request;
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing' };
  const seconds = Number(timestamp);
  if (Math.abs(Math.floor(request.nowMs / 1000) - seconds) > SIGNATURE_WINDOW_SECONDS) {
    return { ok: false, reason: 'stale' };
  }
  try {
    verifySlackRequest({
      signingSecret: request.signingSecret,
      body: request.rawBody,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': seconds },
      nowMilliseconds: request.nowMs,
    });
    return { ok: true };
  } catch {
    return { ok: false, reason: 'mismatch' };
  }
}

import { ErrorCode } from '@slack/web-api';
import { HelpdeskError } from '../../core/errors.ts';

/** Slack error codes that retrying cannot fix: the channel, the message or the install is gone. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
  'team_access_not_granted',
  'ekm_access_denied',
  'restricted_action',
  'user_not_found',
  'user_not_in_channel',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'msg_too_long',
  'invalid_blocks',
  'invalid_arguments',
  'expired_trigger_id',
  'invalid_trigger_id',
  'exchanged_trigger_id',
  'view_too_large',
  'expired_url',
  'used_url',
]);

/** Codes that mean "later": Slack's own hiccups and throttling. */
const TRANSIENT = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export interface SlackFailure {
  /** A short code for logs and the metric label: a Slack error, `http_503`, `rate_limited`, ... */
  code: string;
  permanent: boolean;
  retryAfter?: number | undefined;
}

/** Classifies anything the WebClient (or a response_url post) threw. */
export function classifySlackError(error: unknown): SlackFailure {
  const coded = error as {
    code?: string;
    data?: { error?: string };
    statusCode?: number;
    retryAfter?: number;
  };
  switch (coded?.code) {
    case ErrorCode.RateLimitedError:
      return { code: 'rate_limited', permanent: false, retryAfter: coded.retryAfter };
    case ErrorCode.PlatformError: {
      const code = coded.data?.error ?? 'unknown_error';
      // Unknown platform errors are logical ("this request is wrong"): retrying forever would not help.
      return { code, permanent: PERMANENT.has(code) || !TRANSIENT.has(code) };
    }
    case ErrorCode.HTTPError: {
      const status = coded.statusCode ?? 0;
      return { code: `http_${status}`, permanent: status >= 400 && status < 500 && status !== 408 };
    }
    default:
      // Network errors, timeouts and a 429 without Retry-After: try again later.
      return { code: coded?.code ?? 'request_error', permanent: false };
  }
}

/**
 * The workspace's token no longer works (revoked, app uninstalled, workspace deactivated): no message
 * there can be sent until it does, so deliveries wait for it instead of failing one by one.
 */
const AUTHORIZATION = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);
const RATE_LIMITED = new Set(['rate_limited', 'ratelimited']);

export function toDeliveryError(error: unknown, op: string): HelpdeskError {
  const failure = classifySlackError(error);
  const message = `Slack ${op} failed: ${failure.code}`;
  const reason = failure.code;
  if (failure.permanent) {
    return new HelpdeskError('permanent_delivery_failure', message, {
      cause: error,
      reason,
      ...(AUTHORIZATION.has(failure.code) ? { waitFor: 'authorization' as const } : {}),
    });
  }
  return new HelpdeskError('transient_delivery_failure', message, {
    cause: error,
    reason,
    ...(RATE_LIMITED.has(failure.code) ? { waitFor: 'rate_limit' as const } : {}),
    ...(failure.retryAfter !== undefined ? { retryAfter: failure.retryAfter } : {}),
  });
}

import { HelpdeskError } from '../../core/errors.ts';

/** HTTP statuses worth another try later: throttling, a conflicting write, a flaky gateway. */
const TRANSIENT_STATUS = new Set([408, 412, 429, 500, 502, 503, 504]);
/** Network failures that say nothing about the request itself. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
]);

interface HttpishError {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { status?: number; headers?: { get?(name: string): string | undefined | null } };
}

/**
 * Turns a Bot Connector failure into the outbox's vocabulary: 429 (with its Retry-After), 412 and
 * 5xx are transient; 403 (bot removed, blocked), 404 (conversation gone) and other 4xx are permanent.
 */
export function deliveryError(error: unknown, kind?: 'permanent'): HelpdeskError {
  if (error instanceof HelpdeskError) return error;
  const http = findHttpError(error);
  const status = http?.statusCode ?? http?.response?.status;
  const detail = describe(status, http, error);
  const reason = status === undefined ? (http?.code ?? 'request_error') : `http_${status}`;
  if (kind === 'permanent')
    return new HelpdeskError('permanent_delivery_failure', detail, { cause: error, reason });
  if (status === undefined) {
    return http?.code && !TRANSIENT_CODES.has(http.code)
      ? new HelpdeskError('permanent_delivery_failure', detail, { cause: error, reason })
      : new HelpdeskError('transient_delivery_failure', detail, { cause: error, reason });
  }
  if (TRANSIENT_STATUS.has(status)) {
    const retryAfter = parseRetryAfter(http?.response?.headers?.get?.('retry-after'));
    return new HelpdeskError('transient_delivery_failure', detail, {
      cause: error,
      reason,
      ...(status === 429 ? { waitFor: 'rate_limit' as const } : {}),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    });
  }
  // 401: the Bot Connector refuses the app's own token (a wrong or expired app password) for this
  // tenant; every delivery there waits for it to work again. A 403 stays one conversation's
  // problem (the bot was removed from it, or the person blocked it).
  return new HelpdeskError('permanent_delivery_failure', detail, {
    cause: error,
    reason,
    ...(status === 401 ? { waitFor: 'authorization' as const } : {}),
  });
}

export function isPermanent(error: unknown): boolean {
  return error instanceof HelpdeskError && error.code === 'permanent_delivery_failure';
}

/** Seconds to wait, from `Retry-After: 3` or `Retry-After: <HTTP date>`. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function findHttpError(error: unknown): HttpishError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as HttpishError & { cause?: unknown };
    if (typeof candidate.statusCode === 'number' || typeof candidate.response?.status === 'number')
      return candidate;
    if (typeof candidate.code === 'string' && /^E[A-Z]+$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return undefined;
}

function describe(status: number | undefined, http: HttpishError | undefined, error: unknown): string {
  const message = http?.message ?? (error instanceof Error ? error.message : String(error));
  const reason =
    status === 403
      ? 'the bot is not allowed there (removed from the team or blocked)'
      : status === 404
        ? 'conversation not found (the bot was removed or the chat is gone)'
        : undefined;
  return `Teams delivery failed${status === undefined ? '' : ` (HTTP ${status})`}: ${reason ?? message}`;
}

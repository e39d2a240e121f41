/** Codes for the unexpected; expected outcomes are returned values, not errors. */
export type HelpdeskErrorCode = 'permanent_delivery_failure' | 'transient_delivery_failure' | 'internal';

/**
 * What a failed delivery waits for, when it is not the message's fault: the platform's rate limit
 * (come back after Retry-After; not a failed attempt), or the workspace's credentials (the token was
 * revoked, the app's password is wrong: every delivery there waits until a probe succeeds).
 */
export type DeliveryWait = 'rate_limit' | 'authorization';

export interface HelpdeskErrorOptions {
  cause?: unknown;
  retryAfter?: number;
  /** A short, stable code for logs, metrics and dead letters (`channel_not_found`, `http_503`). */
  reason?: string;
  waitFor?: DeliveryWait;
}

export class HelpdeskError extends Error {
  readonly code: HelpdeskErrorCode;
  /** Seconds the caller should wait before retrying, when the failure says so. */
  readonly retryAfter: number | undefined;
  readonly reason: string | undefined;
  readonly waitFor: DeliveryWait | undefined;

  constructor(code: HelpdeskErrorCode, message: string, options?: HelpdeskErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HelpdeskError';
    this.code = code;
    this.retryAfter = options?.retryAfter;
    this.reason = options?.reason;
    this.waitFor = options?.waitFor;
  }
}

/** Turns anything thrown into a HelpdeskError, keeping the original as the cause. */
export function asHelpdeskError(error: unknown): HelpdeskError {
  if (error instanceof HelpdeskError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HelpdeskError('internal', message, { cause: error });
}

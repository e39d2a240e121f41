/** Codes for the unexpected; expected outcomes are returned values, not errors. */
export type HelpdeskErrorCode = 'permanent_delivery_failure' | 'transient_delivery_failure' | 'internal';

export class HelpdeskError extends Error {
  readonly code: HelpdeskErrorCode;
  /** Seconds the caller should wait before retrying, when the failure says so. */
  readonly retryAfter: number | undefined;

  constructor(code: HelpdeskErrorCode, message: string, options?: { cause?: unknown; retryAfter?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HelpdeskError';
    this.code = code;
    this.retryAfter = options?.retryAfter;
  }
}

/** Turns anything thrown into a HelpdeskError, keeping the original as the cause. */
export function asHelpdeskError(error: unknown): HelpdeskError {
  if (error instanceof HelpdeskError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HelpdeskError('internal', message, { cause: error });
}

/**
 * Every job the workers run: one name, one payload, exactly one handler (the app binds them in a
 * `Record<JobName, ...>` so the compiler proves it). Payloads carry ids, never message text.
 */
export interface JobMap {
  /** Run the use case for one recorded inbound event. */
  'process-event': { inboundEventId: number };
  /** Send one outbox row through its platform's notifier. */
  deliver: { outboxId: number };
  /** Re-enqueue inbound events and outbox rows that were accepted but never finished. */
  recover: Record<string, never>;
  /** SLA warning (75 %) or breach (100 %) of one target, planned for the due time `dueAt` (ISO). */
  'sla-check': {
    ticketId: number;
    target: 'first_response' | 'resolution';
    kind: 'warning' | 'breach';
    dueAt: string;
  };
  /** Next escalation step; `since` is when the ticket reached the level before it (ISO). */
  escalate: { ticketId: number; level: number; since: string };
  /** Page the on-call for a P1 ticket. */
  'page-on-call': { ticketId: number };
  /** Remind the requester of a ticket pending since `since` (ISO). */
  'pending-nudge': { ticketId: number; since: string };
  /** Resolve a ticket pending since `since` whose requester stayed silent. */
  'auto-resolve': { ticketId: number; since: string };
  /** Close a ticket resolved at `resolvedAt` (ISO). */
  'auto-close': { ticketId: number; resolvedAt: string };
  /** Re-create missing timer jobs for live tickets, one batch after another. */
  'reconcile-timers': { afterId?: number };
  /**
   * Post the daily digest for `day` (a local date; default: today in the digest time zone, the day
   * the scheduler fires), or, with `manualAt` (ISO), the extra digest `digest now` asked for then.
   */
  digest: { day?: string; manualAt?: string };
  /** Re-read digest-time / digest-tz and update the daily job scheduler. */
  'schedule-digest': Record<string, never>;
  /** Apply the retention policies once (daily). */
  retention: Record<string, never>;
  /** Delete cached model answers past LLM_CACHE_TTL_SECONDS (hourly). */
  'prune-llm-cache': Record<string, never>;
  /**
   * Embed the published articles whose vector is missing or stale (content hash), in batches, after a
   * KB write (import, `kb add`, an approved draft, the demo KB). Idempotent: a second run finds nothing
   * stale; without an embeddings model or pgvector it does nothing.
   */
  'kb-embed': Record<string, never>;
  /** Send one outbound webhook delivery (`webhook_deliveries` row). */
  'webhook-deliver': { deliveryId: number };
  /** Make one queued call to Jira Service Management (`jsm_ops` row). */
  'jsm-sync': { opId: number };
  /** Remind the approvers of requests waiting longer than the reminder period (periodic). */
  'approval-reminder': Record<string, never>;
}

export type JobName = keyof JobMap;
export type JobData<N extends JobName> = JobMap[N];

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Deterministic id: a second enqueue with the same id is a no-op while the first exists. No ':'. */
  jobId?: string;
}

/** The port core uses to schedule work; the app implements it with BullMQ. */
export interface JobQueue {
  enqueue<N extends JobName>(name: N, data: JobData<N>, options?: EnqueueOptions): Promise<void>;
}

/** Thrown by a handler when retrying cannot help (the job is failed at once). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** Thrown by a handler that must run again later, after `delayMs`, without counting as a failure. */
export class RetryLaterError extends Error {
  readonly delayMs: number;
  constructor(message: string, delayMs: number) {
    super(message);
    this.name = 'RetryLaterError';
    this.delayMs = delayMs;
  }
}

/** Job ids must be deterministic and free of ':' (BullMQ uses it as a separator). */
export function jobId(...parts: Array<string | number>): string {
  return parts.map((part) => String(part).replaceAll(':', '_')).join('-');
}

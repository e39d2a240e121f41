/**
 * The BullMQ job schedulers: the timer reconciler, the recovery job, the daily digest (cron in
 * the configured time zone), the daily retention run, the hourly pruning of the model-answer cache and the approval reminders. Idempotent: upserting a scheduler replaces its previous version.
 */
import type { Db } from '../core/db.ts';
import type { Logger } from '../core/logger.ts';
import { isValidTimeZone } from '../core/sla/calendar.ts';
import { DEFAULT_DIGEST_TIME, DEFAULT_DIGEST_TZ, digestCron, digestSchedule } from '../core/stats/digest.ts';
import type { QueueRuntime } from './queue.ts';

export const RECONCILE_EVERY_MS = 5 * 60_000;
export const RECOVER_EVERY_MS = 60_000;
/** Cached model answers past their lifetime are deleted this often. */
export const PRUNE_LLM_CACHE_EVERY_MS = 60 * 60_000;
/** Approvals waiting past the reminder period are looked for this often. */
export const APPROVAL_REMINDER_EVERY_MS = 15 * 60_000;
/** The retention run: daily, at a quiet hour (UTC). */
export const RETENTION_CRON = '30 3 * * *';

/** Installs (or updates) the daily digest scheduler from the `digest-time` / `digest-tz` settings. */
export async function scheduleDigest(
  queue: Pick<QueueRuntime, 'cron'>,
  db: Db,
  log: Logger,
): Promise<string> {
  const { time, tz } = await digestSchedule(db);
  const pattern = digestCron(time) ?? (digestCron(DEFAULT_DIGEST_TIME) as string);
  const zone = isValidTimeZone(tz) ? tz : DEFAULT_DIGEST_TZ;
  await queue.cron('digest', {}, pattern, zone);
  log.info({ pattern, tz: zone }, 'daily digest scheduled');
  return `${pattern} ${zone}`;
}

/**
 * Installs every periodic job a worker process needs. Recovery also runs once now, so inbox and
 * outbox rows left unfinished by a process that died are picked up at start, not a minute later.
 */
export async function installSchedules(
  queue: Pick<QueueRuntime, 'every' | 'cron' | 'enqueue'>,
  db: Db,
  log: Logger,
): Promise<void> {
  await queue.every('recover', {}, RECOVER_EVERY_MS);
  await queue.enqueue('recover', {});
  await queue.every('reconcile-timers', {}, RECONCILE_EVERY_MS);
  await scheduleDigest(queue, db, log);
  await queue.cron('retention', {}, RETENTION_CRON, 'UTC');
  await queue.every('prune-llm-cache', {}, PRUNE_LLM_CACHE_EVERY_MS);
  await queue.every('approval-reminder', {}, APPROVAL_REMINDER_EVERY_MS);
}

/** True when the job port is the app's queue runtime (so a job can update schedulers). */
export function isQueueRuntime(value: unknown): value is QueueRuntime {
  return typeof value === 'object' && value !== null && 'cron' in value && 'every' in value;
}

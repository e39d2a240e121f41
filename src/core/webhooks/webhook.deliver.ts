/**
 * The `webhook-deliver` job: one signed POST of one delivery row. Deliveries of one ticket to one
 * webhook go in order (a later one waits for the earlier); failures retry with exponential backoff
 * or the receiver's Retry-After until the webhook has been failing for WEBHOOK_DISABLE_AFTER_DAYS,
 * when it is disabled and the triage channels are told.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { CoreDeps } from '../deps.ts';
import { adminMentions } from '../escalation/notify.ts';
import { RetryLaterError } from '../jobs/jobs.ts';
import { postToChannels } from '../outbox/broadcast.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { triageChannels } from '../settings/settings.ts';
import { SYSTEM } from '../tickets/ticket.change.ts';
import { unitOfWork } from '../unit-of-work.ts';
import type { DeliveryRow, WebhookRow } from './webhook.table.ts';
import { checkWebhookUrl, DEFAULT_WEBHOOK_SETTINGS } from './webhook.url.ts';

const LOCK_MS = 60_000;
const MAX_BACKOFF_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, keyed by the webhook's secret. */
function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Seconds (`120`) or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

type Attempt =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retryAfterMs?: number };

export type WebhookDeliverOutcome = 'sent' | 'skipped' | 'retry' | 'failed' | 'disabled';

export async function deliverWebhook(deps: CoreDeps, deliveryId: number): Promise<WebhookDeliverOutcome> {
  const settings = deps.config.webhooks ?? DEFAULT_WEBHOOK_SETTINGS;
  const now = deps.clock.now();
  const row = await deps.db
    .updateTable('webhook_deliveries')
    .set({ locked_until: new Date(now.getTime() + LOCK_MS) })
    .where('id', '=', deliveryId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
  if (!row) return 'skipped';
  const release = (fields: Record<string, unknown> = {}) =>
    deps.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: null, ...fields })
      .where('id', '=', deliveryId)
      .execute();

  const hook = await deps.db
    .selectFrom('webhooks')
    .selectAll()
    .where('id', '=', row.webhook_id)
    .executeTakeFirst();
  if (!hook?.enabled) {
    await release({ status: 'failed', last_error: 'the webhook is disabled' });
    return 'failed';
  }
  if (row.ticket_id !== null && !row.reply_to) {
    const earlier = await deps.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'next_attempt_at'])
      .where('webhook_id', '=', row.webhook_id)
      .where('ticket_id', '=', row.ticket_id)
      .where('status', '=', 'pending')
      .where('reply_to', 'is', null)
      .where('id', '<', row.id)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (earlier) {
      const due = earlier.next_attempt_at ? earlier.next_attempt_at.getTime() - now.getTime() : 0;
      const wait = Math.max(250, due + 100);
      // Its own next attempt moves with the wait, so the recovery job leaves this live chain alone.
      await release({ next_attempt_at: new Date(now.getTime() + wait) });
      throw new RetryLaterError(`waiting for delivery ${earlier.id} of the same ticket`, wait);
    }
  }

  const attempt = await send(hook, row, settings.timeoutMs, settings, deps.clock.now());
  const attempts = row.attempts + 1;
  if (attempt.ok) {
    await unitOfWork(deps, async (tx) => {
      await tx
        .updateTable('webhook_deliveries')
        .set({
          status: 'sent',
          attempts,
          last_status: attempt.status,
          last_error: null,
          locked_until: null,
          next_attempt_at: null,
          delivered_at: deps.clock.now(),
        })
        .where('id', '=', row.id)
        .execute();
      if (!row.reply_to)
        await tx.updateTable('webhooks').set({ failing_since: null }).where('id', '=', hook.id).execute();
      if (row.reply_to)
        await queueMessage(tx, {
          key: `webhook-test-${row.id}`,
          op: 'post',
          target: row.reply_to,
          message: { text: `✅ Test delivery to webhook ${hook.id} succeeded: HTTP ${attempt.status}.` },
        });
    });
    return 'sent';
  }

  // A test is one attempt, reported back; it neither retries nor counts towards disabling.
  if (row.reply_to) {
    const target = row.reply_to;
    await unitOfWork(deps, async (tx) => {
      await tx
        .updateTable('webhook_deliveries')
        .set({
          status: 'failed',
          attempts,
          last_status: attempt.status,
          last_error: attempt.error,
          locked_until: null,
        })
        .where('id', '=', row.id)
        .execute();
      await queueMessage(tx, {
        key: `webhook-test-${row.id}`,
        op: 'post',
        target,
        message: { text: `❌ Test delivery to webhook ${hook.id} failed: ${attempt.error}` },
      });
    });
    return 'failed';
  }

  const failingSince = hook.failing_since ?? now;
  if (now.getTime() - failingSince.getTime() >= settings.disableAfterDays * DAY_MS) {
    await disable(deps, hook, row, attempt.error, failingSince);
    return 'disabled';
  }
  const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);
  const delay = Math.round(Math.min(MAX_BACKOFF_MS, attempt.retryAfterMs ?? backoff));
  await deps.db
    .updateTable('webhooks')
    .set({ failing_since: failingSince })
    .where('id', '=', hook.id)
    .where('failing_since', 'is', null)
    .execute();
  await release({
    attempts,
    last_status: attempt.status,
    last_error: attempt.error,
    next_attempt_at: new Date(now.getTime() + delay),
  });
  throw new RetryLaterError(`webhook delivery failed, retrying: ${attempt.error}`, Math.max(50, delay));
}

async function send(
  hook: WebhookRow,
  row: DeliveryRow,
  timeoutMs: number,
  settings: Parameters<typeof checkWebhookUrl>[1],
  now: Date,
): Promise<Attempt> {
  // Checked again at every attempt: the name may resolve elsewhere than when it was added.
  const allowed = await checkWebhookUrl(hook.url, settings);
  if (!allowed.ok) return { ok: false, status: null, error: allowed.reason };
  const body = JSON.stringify(row.payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'helpdesk-webhooks/1',
        'x-helpdesk-event': row.event,
        'x-helpdesk-delivery': row.event_id,
        'x-helpdesk-timestamp': String(timestamp),
        'x-helpdesk-signature': signature(hook.secret, timestamp, body),
      },
    });
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), now);
    return {
      ok: false,
      status: response.status,
      error: `HTTP ${response.status}`,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    };
  } catch (error) {
    const name = (error as Error).name;
    const message = name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (error as Error).message;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, status: null, error: cause ? `${message} (${cause})` : message };
  }
}

async function disable(deps: CoreDeps, hook: WebhookRow, row: DeliveryRow, error: string, since: Date) {
  const now = deps.clock.now();
  const reason = `failing since ${since.toISOString().slice(0, 16).replace('T', ' ')} UTC (last: ${error})`;
  deps.log.warn({ webhookId: hook.id, reason }, 'webhook disabled');
  await unitOfWork(deps, async (tx) => {
    const disabled = await tx
      .updateTable('webhooks')
      .set({ enabled: false, disabled_at: now, disabled_reason: reason })
      .where('id', '=', hook.id)
      .where('enabled', '=', true)
      .returning('id')
      .executeTakeFirst();
    await tx
      .updateTable('webhook_deliveries')
      .set({
        status: 'failed',
        locked_until: null,
        last_error: sql`coalesce(last_error, 'the webhook was disabled')`,
      })
      .where('webhook_id', '=', hook.id)
      .where('status', '=', 'pending')
      .execute();
    await tx
      .updateTable('webhook_deliveries')
      .set({ attempts: row.attempts + 1, last_error: error })
      .where('id', '=', row.id)
      .execute();
    if (!disabled) return;
    await recordAudit(tx, {
      actor: SYSTEM,
      action: 'webhook',
      target: `webhook:${hook.id}`,
      before: { enabled: true },
      after: { enabled: false, reason },
      at: now,
    });
    await postToChannels(
      tx,
      await triageChannels(tx),
      // The admins are mentioned: they are the ones who can fix or re-enable it.
      async (channel) => {
        const admins = await adminMentions(tx, channel.platform);
        return {
          text: `⚠️ Webhook ${hook.id} (${hook.url}) was disabled: ${reason}. Its undelivered events are kept as failed. Fix the receiver, then \`webhook enable ${hook.id}\`.${admins.length ? ` ${admins.join(' ')}` : ''}`,
        };
      },
      `webhook-disabled-${hook.id}-${now.getTime()}`,
      undefined,
    );
  });
}

/** Re-enqueues deliveries a lost job left pending (the `recover` job runs this every minute). */
export async function recoverWebhookDeliveries(
  deps: Pick<CoreDeps, 'db' | 'jobs' | 'clock'>,
): Promise<number> {
  const now = deps.clock.now();
  const bucket = Math.floor(now.getTime() / 60_000);
  const rows = await deps.db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<', new Date(now.getTime() - 60_000))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .orderBy('id')
    .limit(500)
    .execute();
  for (const row of rows) {
    await deps.jobs.enqueue(
      'webhook-deliver',
      { deliveryId: row.id },
      { jobId: `webhook-${row.id}-r-${bucket}` },
    );
  }
  return rows.length;
}

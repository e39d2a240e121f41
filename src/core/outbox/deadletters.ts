/**
 * Dead letters: inbound events whose processing failed for good, and deliveries that failed
 * (`failed`) or were kept because the bot was removed (`undeliverable`), each with its last error.
 * One query for both views (`helpdesk deadletters` and the admins' chat command `deadletters`), and
 * one re-send, idempotent: only a row that is still a dead letter is re-sent.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';
import { type DeliveryPause, listPauses } from './pauses.ts';

export type DeadLetterKind = 'inbound' | 'outbound';

export interface DeadLetter {
  /** `i<id>` for an inbound event, `o<id>` for a delivery: what `deadletters retry` takes. */
  id: string;
  kind: DeadLetterKind;
  /** `undeliverable`: a delivery kept because the bot was removed from where it was going. */
  status: 'failed' | 'undeliverable';
  platform: string;
  /** Slack team / Teams tenant. */
  workspace: string;
  /** Short cause: a platform error (`channel_not_found`), `retries_exhausted`, `bot_removed`, `processing_failed`. */
  reason: string;
  attempts: number;
  lastError: string;
  /** Where a delivery was going (channel or conversation id); empty for an inbound event. */
  target: string;
  ticketId: number | null;
  createdAt: Date;
  ageSeconds: number;
}

export interface RemovedPlace {
  platform: string;
  workspace: string;
  channel: string;
  reason: string;
  changedAt: Date;
}

export interface DeadLetterReport {
  /** When it was taken (ages are counted to it). */
  now: Date;
  letters: DeadLetter[];
  /** Workspaces whose deliveries wait for their token to work again. */
  paused: DeliveryPause[];
  /** Where the bot was removed: deliveries there are kept as undeliverable. */
  removed: RemovedPlace[];
}

interface DeadRow {
  kind: DeadLetterKind;
  status: 'failed' | 'undeliverable';
  id: number;
  platform: string;
  workspace: string | null;
  reason: string;
  attempts: number;
  last_error: string | null;
  target: string | null;
  ticket_id: number | null;
  created_at: Date;
}

/** Every dead letter (newest first, at most `limit`), the paused workspaces and the removed places. */
export async function listDeadLetters(
  db: DbOrTx,
  now: Date,
  options: { limit?: number } = {},
): Promise<DeadLetterReport> {
  const limit = options.limit ?? 1000;
  const rows = await sql<DeadRow>`
    (select 'outbound' as kind, status, id, platform, target->>'tenant' as workspace,
        coalesce(reason, case when status = 'undeliverable' then 'bot_removed' else 'failed' end) as reason,
        attempts, last_error, target->>'channel' as target, ticket_id, created_at
      from outbox where status in ('failed', 'undeliverable'))
    union all
    (select 'inbound' as kind, status, id, platform, payload->'conversation'->>'tenant' as workspace,
        'processing_failed' as reason, attempts, error as last_error, null as target, null as ticket_id,
        received_at as created_at
      from inbound_events where status = 'failed')
    order by created_at desc, id desc
    limit ${limit}`.execute(db);
  const letters = rows.rows.map(
    (row): DeadLetter => ({
      id: `${row.kind === 'inbound' ? 'i' : 'o'}${row.id}`,
      kind: row.kind,
      status: row.status,
      platform: row.platform,
      workspace: row.workspace ?? '',
      reason: row.reason,
      attempts: Number(row.attempts),
      lastError: row.last_error ?? 'no error recorded',
      target: row.target ?? '',
      ticketId: row.ticket_id === null ? null : Number(row.ticket_id),
      createdAt: row.created_at,
      ageSeconds: Math.max(0, Math.round((now.getTime() - row.created_at.getTime()) / 1000)),
    }),
  );
  const removed = await db
    .selectFrom('installations')
    .select(['platform', 'tenant', 'channel', 'reason', 'changed_at'])
    .where('status', '=', 'inactive')
    .orderBy('changed_at', 'desc')
    .execute();
  return {
    now,
    letters,
    paused: await listPauses(db),
    removed: removed.map((place) => ({
      platform: place.platform,
      workspace: place.tenant,
      channel: place.channel,
      reason: place.reason ?? 'removed',
      changedAt: place.changed_at,
    })),
  };
}

/** Dead letters now, by kind, platform and reason (the /metrics gauge). */
export async function countDeadLetters(
  db: DbOrTx,
): Promise<Array<{ kind: DeadLetterKind; platform: string; reason: string; n: number }>> {
  const result = await sql<{ kind: DeadLetterKind; platform: string; reason: string; n: number }>`
    select 'outbound' as kind, platform,
        coalesce(reason, case when status = 'undeliverable' then 'bot_removed' else 'failed' end) as reason,
        count(*)::int as n
      from outbox where status in ('failed', 'undeliverable') group by 1, 2, 3
    union all
    select 'inbound', platform, 'processing_failed', count(*)::int
      from inbound_events where status = 'failed' group by 1, 2, 3`.execute(db);
  return result.rows.map((row) => ({ ...row, n: Number(row.n) }));
}

export type ParsedId = { kind: DeadLetterKind; id: number };

/** `o12` / `i7` (as listed) → the row; undefined for anything else. */
export function parseDeadLetterId(text: string): ParsedId | undefined {
  const match = /^([io])([1-9][0-9]{0,14})$/.exec(text.trim());
  if (!match) return undefined;
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id) || id > 2 ** 53) return undefined;
  return { kind: match[1] === 'i' ? 'inbound' : 'outbound', id };
}

export interface RetryResult {
  /** Re-sent (deliveries) or re-run (inbound events), by id. */
  retried: string[];
  /** Asked for but not a dead letter (delivered meanwhile, already retried, or no such row). */
  skipped: string[];
}

/**
 * Re-sends dead letters: each named one, or `all`. A row goes back to pending and gets a fresh job
 * (named by its retry count, so a repeated retry of the same row is one job); a row that is not a
 * dead letter any more is skipped, so nothing is sent twice. Lifts every pause for `all`.
 */
export async function retryDeadLetters(
  deps: Pick<CoreDeps, 'db' | 'jobs' | 'log'>,
  which: 'all' | ParsedId[],
): Promise<RetryResult> {
  const result: RetryResult = { retried: [], skipped: [] };
  const outboundIds =
    which === 'all' ? undefined : which.filter((w) => w.kind === 'outbound').map((w) => w.id);
  const inboundIds = which === 'all' ? undefined : which.filter((w) => w.kind === 'inbound').map((w) => w.id);
  if (outboundIds === undefined || outboundIds.length) {
    let update = deps.db
      .updateTable('outbox')
      .set({
        status: 'pending',
        attempts: 0,
        retries: sql`retries + 1`,
        next_attempt_at: null,
        locked_until: null,
      })
      .where('status', 'in', ['failed', 'undeliverable']);
    if (outboundIds) update = update.where('id', 'in', outboundIds);
    const rows = await update.returning(['id', 'retries']).execute();
    rows.sort((a, b) => a.id - b.id);
    for (const row of rows) {
      await deps.jobs.enqueue(
        'deliver',
        { outboxId: row.id },
        { jobId: jobId('deliver', row.id, 'retry', row.retries) },
      );
      result.retried.push(`o${row.id}`);
    }
    const done = new Set(rows.map((row) => row.id));
    for (const id of outboundIds ?? []) if (!done.has(id)) result.skipped.push(`o${id}`);
  }
  if (inboundIds === undefined || inboundIds.length) {
    let update = deps.db
      .updateTable('inbound_events')
      .set({ status: 'pending', attempts: 0, retries: sql`retries + 1` })
      .where('status', '=', 'failed');
    if (inboundIds) update = update.where('id', 'in', inboundIds);
    const rows = await update.returning(['id', 'retries']).execute();
    rows.sort((a, b) => a.id - b.id);
    for (const row of rows) {
      await deps.jobs.enqueue(
        'process-event',
        { inboundEventId: row.id },
        { jobId: jobId('event', row.id, 'retry', row.retries) },
      );
      result.retried.push(`i${row.id}`);
    }
    const done = new Set(rows.map((row) => row.id));
    for (const id of inboundIds ?? []) if (!done.has(id)) result.skipped.push(`i${id}`);
  }
  if (result.retried.length) deps.log.info({ retried: result.retried }, 'dead letters re-sent');
  return result;
}

/** How long ago, for people: `5 min`, `3 h`, `2 days`. */
export function ageText(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/** The plain-text view, one line per dead letter; the CLI prints it and admins get it in chat. */
export function formatDeadLetters(report: DeadLetterReport, options: { max?: number } = {}): string {
  const lines: string[] = [];
  for (const pause of report.paused) {
    lines.push(
      `⏸ Paused: ${pause.platform} workspace ${pause.tenant} (${pause.reason}, ${ageText(Math.max(0, (report.now.getTime() - pause.pausedAt.getTime()) / 1000))} ago): ${pause.waiting} message(s) wait until its token works again.`,
    );
  }
  for (const place of report.removed) {
    lines.push(
      `🚫 Removed from ${place.platform} ${place.channel === '' ? `workspace ${place.workspace}` : place.channel} (${place.reason}): messages there are kept, not sent.`,
    );
  }
  const shown = report.letters.slice(0, options.max ?? report.letters.length);
  for (const letter of shown) {
    const where =
      letter.kind === 'outbound'
        ? `${letter.status} → ${letter.platform} ${letter.target || letter.workspace}`
        : `inbound event failed ← ${letter.platform} ${letter.workspace}`;
    const ticket = letter.ticketId === null ? '' : ` (ticket id ${letter.ticketId})`;
    lines.push(
      `• ${letter.id} ${where}${ticket}, ${ageText(letter.ageSeconds)} ago: ${letter.lastError} [${letter.reason}, ${letter.attempts} attempt(s)]`,
    );
  }
  if (report.letters.length > shown.length) lines.push(`… and ${report.letters.length - shown.length} more`);
  if (lines.length === 0) return 'Every message was delivered: there are no dead letters.';
  return lines.join('\n');
}

import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { ChatEvent } from '../chat/chat.ts';
import { type DbOrTx, json } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';
import { inSpan } from '../tracing.ts';
import { unitOfWork } from '../unit-of-work.ts';
import type { InboundStatus } from './inbox.table.ts';

export interface AcceptResult {
  duplicate: boolean;
  id: number;
  /** The duplicate is a command typed again within REPEAT_WINDOW_MS, not a platform's redelivery. */
  repeated?: true;
}

/**
 * How long a command typed again counts as the same request. Slack gives up on a slash command
 * after 3 s and shows an error; the person types it again, and Slack sends it with a new trigger_id.
 */
export const REPEAT_WINDOW_MS = 2 * 60_000;

/**
 * The key that makes a retyped command the same request: only for commands whose platform names
 * each attempt anew (a trigger id); others are told apart by their own event ids.
 */
export function repeatKeyOf(event: ChatEvent): string | undefined {
  if (event.kind !== 'command' || !event.triggerId) return undefined;
  const text = event.text.trim().replace(/\s+/g, ' ').toLowerCase();
  // `new` alone opens a form, which only the trigger just given can open (the earlier one expired).
  if (text === 'new' || readsOnly(text)) return undefined;
  const c = event.conversation;
  return createHash('sha256')
    .update(JSON.stringify([event.platform, c.tenant, c.channel, c.thread ?? '', event.sender.userId, text]))
    .digest('hex');
}

/**
 * Commands that only show something: typed again, they show it as it is now (`queue` after a claim),
 * so they are never answered by an earlier run.
 */
const READ_ONLY_COMMAND =
  /^(help|queue|mine|show|stats|audit)\b|^kb search\b|^(webhook list|apikey list|deadletters|deadletters list|skills|config)$/;

function readsOnly(text: string): boolean {
  return READ_ONLY_COMMAND.test(text.replace(/^helpdesk /, ''));
}

/** The conversation thread an event belongs to: its events must take effect in arrival order. */
export function laneOf(event: ChatEvent): string {
  const c = event.conversation;
  return [event.platform, c.tenant, c.channel, c.thread ?? ''].join('|').slice(0, 500);
}

/** How long an earlier event may hold up its lane before later ones go ahead without it. */
export const LANE_WAIT_LIMIT_MS = 2 * 60_000;

/**
 * The earliest event still pending ahead of `inboundEventId` in its lane, if any. Events stuck for
 * longer than LANE_WAIT_LIMIT_MS do not block the lane, so one poisoned event cannot stall a chat.
 */
export async function earlierInLane(
  db: DbOrTx,
  inboundEventId: number,
  lane: string | null,
): Promise<number | undefined> {
  if (lane === null) return undefined;
  const earlier = await db
    .selectFrom('inbound_events')
    .select('id')
    .where('lane', '=', lane)
    .where('status', '=', 'pending')
    .where('id', '<', inboundEventId)
    // received_at is the database's clock, so compare with the database's clock.
    .where('received_at', '>', sql<Date>`now() - ${`${LANE_WAIT_LIMIT_MS} milliseconds`}::interval`)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return earlier?.id;
}

/**
 * Records an inbound event exactly once (platform + event id) and enqueues its processing. A retry
 * or duplicate is reported as such and not processed again. Adapters acknowledge once this resolves:
 * after the one durable insert, not after the enqueue (see `record`).
 */
export function accept(deps: Pick<CoreDeps, 'db' | 'jobs' | 'log'>, raw: ChatEvent): Promise<AcceptResult> {
  const event = storable(raw);
  return inSpan(
    'inbox accept',
    { 'helpdesk.platform': event.platform, 'helpdesk.event.kind': event.kind },
    async (span) => {
      const result = await record(deps, event);
      span.set({
        'helpdesk.inbound_event.id': result.id,
        'helpdesk.inbound_event.duplicate': result.duplicate,
      });
      return result;
    },
  );
}

/** Inserts the event unless its id is known: the new row's id, or undefined for a duplicate. */
async function insertEvent(db: DbOrTx, event: ChatEvent, repeatKey: string | undefined) {
  return db
    .insertInto('inbound_events')
    .values({
      platform: event.platform,
      event_id: event.eventId,
      kind: event.kind,
      payload: json(event),
      lane: laneOf(event),
      error: null,
      processed_at: null,
      ...(repeatKey ? { repeat_key: repeatKey } : {}),
    })
    .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/**
 * A retypable command: under a lock on its key (two retypes at once find each other), the earlier
 * one within the window, or the new row.
 */
async function insertUnlessRepeated(
  deps: Pick<CoreDeps, 'db' | 'jobs' | 'log'>,
  event: ChatEvent,
  repeatKey: string,
): Promise<{ id: number; repeated?: true } | undefined> {
  return unitOfWork(deps, async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${repeatKey}, 0))`.execute(tx);
    const earlier = await tx
      .selectFrom('inbound_events')
      .select(['id', 'event_id'])
      .where('repeat_key', '=', repeatKey)
      // received_at is the database's clock, so compare with the database's clock.
      .where('received_at', '>', sql<Date>`now() - ${`${REPEAT_WINDOW_MS} milliseconds`}::interval`)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    // The same command delivered again (its own id) is a plain duplicate, not a retype.
    if (earlier?.event_id === event.eventId) return undefined;
    if (earlier) return { id: earlier.id, repeated: true as const };
    return insertEvent(tx, event, repeatKey);
  });
}

async function record(deps: Pick<CoreDeps, 'db' | 'jobs' | 'log'>, event: ChatEvent): Promise<AcceptResult> {
  const repeatKey = repeatKeyOf(event);
  const inserted = repeatKey
    ? await insertUnlessRepeated(deps, event, repeatKey)
    : await insertEvent(deps.db, event, undefined);
  if (inserted && 'repeated' in inserted) {
    deps.log.info({ inboundEventId: inserted.id }, 'a command typed again: answered by the first one');
    return { duplicate: true, id: inserted.id, repeated: true };
  }
  if (!inserted) {
    const existing = await deps.db
      .selectFrom('inbound_events')
      .select('id')
      .where('platform', '=', event.platform)
      .where('event_id', '=', event.eventId)
      .executeTakeFirstOrThrow();
    return { duplicate: true, id: existing.id };
  }
  const { id } = inserted;
  // Recorded is what matters: the platform is answered now, and the enqueue follows the answer. A
  // queue that is slow or away (Redis down) delays nothing; the recovery job enqueues any event whose
  // job never came (under the same job id, so an enqueue that completes late is harmless).
  void Promise.resolve()
    .then(() => deps.jobs.enqueue('process-event', { inboundEventId: id }, { jobId: jobId('event', id) }))
    .catch((error: unknown) => {
      deps.log.warn({ err: error, inboundEventId: id }, 'could not enqueue processing; recovery will retry');
    });
  return { duplicate: false, id };
}

/**
 * Polls a recorded event until its use case has run (`done`, or `failed` for good) or `timeoutMs`
 * has passed (`pending`), so an adapter can show the result in its answer when it comes quickly.
 */
export async function waitForProcessing(
  db: DbOrTx,
  inboundEventId: number,
  options: { timeoutMs: number; maxPollMs?: number },
): Promise<InboundStatus> {
  const deadline = Date.now() + options.timeoutMs;
  const maxPollMs = options.maxPollMs ?? 100;
  // Most events finish within a few hundred milliseconds: poll often at first, then back off.
  let pollMs = 10;
  for (;;) {
    const row = await db
      .selectFrom('inbound_events')
      .select('status')
      .where('id', '=', inboundEventId)
      .executeTakeFirst();
    if (!row) return 'failed';
    if (row.status !== 'pending') return row.status;
    const left = deadline - Date.now();
    if (left <= 0) return 'pending';
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
    pollMs = Math.min(pollMs * 2, maxPollMs);
  }
}

/**
 * Re-enqueues inbound events and outbox rows that were accepted but never finished (the process
 * died, the queue lost a job). Postgres is the source of truth; the queue may have lost anything.
 *
 * Periodically (the `recover` job) it takes rows older than `olderThanMs`, under ids fresh per run,
 * and leaves outbox rows a live delivery holds. With `queueLost` (the queue came back without its
 * data: a Redis restarted empty) no job of any unfinished row can still exist, so every one is
 * re-enqueued at once under the id it was first enqueued with (a job the adapter enqueued since is
 * not doubled), locked outbox rows included: their job waits for the dead holder's lock to expire.
 */
export async function recoverUnfinished(
  deps: Pick<CoreDeps, 'db' | 'jobs' | 'clock' | 'log'>,
  options: { olderThanMs?: number; limit?: number; queueLost?: boolean } = {},
): Promise<{ events: number; deliveries: number }> {
  const now = deps.clock.now();
  const lost = options.queueLost ?? false;
  const cutoff = new Date(now.getTime() - (lost ? 0 : (options.olderThanMs ?? 30_000)));
  const limit = options.limit ?? 500;
  const run = Math.floor(cutoff.getTime() / 1000);
  let events = 0;
  let deliveries = 0;
  // One batch per periodic run (the next run takes the rest); every row when the queue was lost.
  for (let afterId = 0; ; ) {
    const batch = await deps.db
      .selectFrom('inbound_events')
      .select(['id'])
      .where('status', '=', 'pending')
      .where('received_at', '<=', cutoff)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    for (const event of batch) {
      const id = lost ? jobId('event', event.id) : jobId('event', event.id, 'r', run);
      await deps.jobs.enqueue('process-event', { inboundEventId: event.id }, { jobId: id });
    }
    events += batch.length;
    if (!lost || batch.length < limit) break;
    afterId = batch.at(-1)?.id ?? afterId;
  }
  for (let afterId = 0; ; ) {
    // Only rows nothing else will wake: the first pending row of its lane, whose parent (the card it
    // threads under or updates) is done, in a workspace that is not paused. A row behind it is woken
    // when it is delivered (deliverOutbox's `wakeAfter`), so no row is re-enqueued while it waits.
    let query = deps.db
      .selectFrom('outbox as o')
      .select(['o.id'])
      .where('o.status', '=', 'pending')
      .where('o.id', '>', afterId)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('outbox as e')
              .select('e.id')
              .whereRef('e.lane', '=', 'o.lane')
              .where('e.status', '=', 'pending')
              .whereRef('e.id', '<', 'o.id'),
          ),
        ),
      )
      .where(
        sql<boolean>`not exists (select 1 from outbox r where r.status = 'pending' and r.id in (o.thread_of, o.update_of))`,
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('delivery_pauses as p')
              .select('p.tenant')
              .whereRef('p.platform', '=', 'o.platform')
              .where('p.tenant', '=', sql<string>`o.target->>'tenant'`),
          ),
        ),
      );
    // Same clock as deliverOutbox, which sets the lock and the next attempt: a row a live delivery
    // holds, or one a delayed job will send when it is due, is left alone until it is overdue.
    if (!lost)
      query = query
        .where(sql<Date>`coalesce(o.next_attempt_at, o.created_at)`, '<=', cutoff)
        .where((eb) => eb.or([eb('o.locked_until', 'is', null), eb('o.locked_until', '<', now)]));
    const batch = await query.orderBy('o.id').limit(limit).execute();
    for (const row of batch) {
      const id = lost ? jobId('deliver', row.id) : jobId('deliver', row.id, 'r', run);
      await deps.jobs.enqueue('deliver', { outboxId: row.id }, { jobId: id });
    }
    deliveries += batch.length;
    if (!lost || batch.length < limit) break;
    afterId = batch.at(-1)?.id ?? afterId;
  }
  if (events || deliveries) {
    deps.log.info({ events, deliveries, queueLost: lost }, 'recovered unfinished work');
  }
  return { events, deliveries };
}

/**
 * The event with every string made storable: Postgres text and jsonb cannot hold a NUL character
 * or half of a surrogate pair, which a client can still send. NUL is dropped and a lone surrogate
 * becomes U+FFFD; the rest of the message is kept as it was.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return cleanString(value) as T;
  if (Array.isArray(value)) return value.map((item) => storable(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[cleanString(key)] = storable(item);
    return out as T;
  }
  return value;
}

const NUL = String.fromCharCode(0);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function cleanString(text: string): string {
  const withoutNul = text.includes(NUL) ? text.replaceAll(NUL, '') : text;
  return withoutNul.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * Inbox bookkeeping for one recorded inbound event: wait for earlier events of its thread,
 * prepare outside any transaction, then run the use case and mark the event done in one
 * transaction, so a retried job finds it done and does nothing. Failures count attempts.
 */
import { sql } from 'kysely';
import type { CoreDeps } from '../deps.ts';
import { earlierInLane } from '../inbox/inbox.ts';
import { RetryLaterError } from '../jobs/jobs.ts';
import { inSpan } from '../tracing.ts';
import { unitOfWork } from '../unit-of-work.ts';
import { handleEvent } from './handle.ts';
import { prepare } from './prepare.ts';

export const MAX_EVENT_ATTEMPTS = 5;

/** Runs the use case for one recorded inbound event, exactly once. */
export async function processEvent(deps: CoreDeps, inboundEventId: number): Promise<'done' | 'skipped'> {
  const row = await deps.db
    .selectFrom('inbound_events')
    .select(['id', 'status', 'payload', 'attempts', 'lane'])
    .where('id', '=', inboundEventId)
    .executeTakeFirst();
  if (row?.status !== 'pending') return 'skipped';
  // Two replies in one thread, processed at once by two workers, would reach the other side in
  // either order: wait for the earlier one instead (not a failed attempt).
  const earlier = await earlierInLane(deps.db, inboundEventId, row.lane);
  if (earlier) throw new RetryLaterError(`waiting for inbound event ${earlier} in the same thread`, 150);
  const event = row.payload;
  const log = deps.log.child({ inboundEventId, kind: event.kind, platform: event.platform });
  try {
    const prepared =
      event.kind === 'uninstalled'
        ? undefined
        : await inSpan(
            'event prepare',
            { 'helpdesk.inbound_event.id': inboundEventId, 'helpdesk.event.kind': event.kind },
            () => prepare(deps, event),
          );
    const handled = await unitOfWork(deps, async (tx) => {
      const locked = await tx
        .selectFrom('inbound_events')
        .select('status')
        .where('id', '=', inboundEventId)
        .forUpdate()
        .executeTakeFirst();
      if (locked?.status !== 'pending') return false;
      await handleEvent({ ...deps, log }, tx, event, inboundEventId, prepared);
      await tx
        .updateTable('inbound_events')
        .set({ status: 'done', processed_at: deps.clock.now(), attempts: sql`attempts + 1`, error: null })
        .where('id', '=', inboundEventId)
        .execute();
      return true;
    });
    return handled ? 'done' : 'skipped';
  } catch (error) {
    const attempts = row.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: error, attempts }, 'processing an inbound event failed');
    await deps.db
      .updateTable('inbound_events')
      .set({
        attempts,
        error: message.slice(0, 2000),
        status: attempts >= MAX_EVENT_ATTEMPTS ? 'failed' : 'pending',
      })
      .where('id', '=', inboundEventId)
      .execute();
    throw error;
  }
}

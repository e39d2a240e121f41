/**
 * A button press on a platform that answers it in the same HTTP response (a Teams invoke) can show
 * the action's private answer there instead of sending it separately: the adapter claims the
 * pending answer row, and the outbox never sends it.
 */
import { sql } from 'kysely';
import type { OutMessage } from '../chat/chat.ts';
import type { DbOrTx } from '../db.ts';
import type { OutboxRow } from './outbox.table.ts';

/** Marks an invoke-answered row: sent, with no platform message behind it. */
export const INVOKE_RESPONSE = 'invoke-response';

/**
 * Claims the private answer (`result-<id>`, an ephemeral message) that processing event
 * `inboundEventId` queued, if it is still pending and no delivery holds it; returns its message.
 * One atomic UPDATE: a worker that locks the row afterwards finds it sent and skips it.
 */
export async function claimResultForInvoke(
  db: DbOrTx,
  platform: string,
  inboundEventId: number,
): Promise<OutMessage | undefined> {
  const row = await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      sent_at: sql<Date>`now()`,
      locked_until: null,
      platform_message_id: INVOKE_RESPONSE,
    })
    .where('idempotency_key', '=', `result-${inboundEventId}`)
    .where('platform', '=', platform)
    .where('op', '=', 'ephemeral')
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .returning('body')
    .executeTakeFirst();
  return row?.body.message;
}

/**
 * Platforms that answer a button press (or a message-action submit) in the HTTP response of the
 * press itself, and how long that answer may still be given: the adapter waits at most ~3.5 s.
 */
const INLINE_ANSWER = { platforms: ['teams'], kinds: ['action', 'reaction'], holdMs: 5000 } as const;

/**
 * How long delivering outbox row `row` must wait so the adapter can still claim it for the invoke
 * answer (0: send now). Only a pending private answer (`result-<id>`, ephemeral) to an action or
 * message action of such a platform waits, counted from when the event was recorded and measured by
 * the same clock, the database's. A press that came as a message (a Teams Action.Submit) has no
 * such answer and never waits. No query unless the row is such a private answer.
 */
export async function invokeAnswerHold(
  db: DbOrTx,
  row: Pick<OutboxRow, 'idempotency_key' | 'platform' | 'op' | 'status'> | undefined,
): Promise<number> {
  const inboundEventId = /^result-(\d+)$/.exec(row?.idempotency_key ?? '')?.[1];
  if (!row || !inboundEventId || row.op !== 'ephemeral' || row.status !== 'pending') return 0;
  if (!(INLINE_ANSWER.platforms as readonly string[]).includes(row.platform)) return 0;
  const event = await db
    .selectFrom('inbound_events')
    .select(['kind', 'payload'])
    .select(sql<number>`extract(epoch from now() - received_at)::float8 * 1000`.as('age_ms'))
    .where('id', '=', Number(inboundEventId))
    .executeTakeFirst();
  if (!event || !(INLINE_ANSWER.kinds as readonly string[]).includes(event.kind)) return 0;
  if (event.payload.kind === 'action' && event.payload.answeredInline === false) return 0;
  return Math.max(0, Math.ceil(INLINE_ANSWER.holdMs - event.age_ms));
}

/**
 * A button press on a platform that answers it in the same HTTP response (a Teams invoke) can show
 * the action's private answer there instead of sending it separately: the adapter claims the
 * pending answer row, and the outbox never sends it.
 */
import { sql } from 'kysely';
import type { OutMessage } from '../chat/chat.ts';
import type { DbOrTx } from '../db.ts';

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

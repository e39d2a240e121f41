/**
 * Replacing the card a button was pressed on with the outcome, through the outbox like the ticket
 * card refresh: an `update` of the row that posted it, delivered after that row and in its lane.
 */
import type { ActionEvent, Card, OutMessage } from '../chat/chat.ts';
import type { DbOrTx, Tx } from '../db.ts';
import { postedRowOf } from '../outbox/outbox.repository.ts';
import type { OutboxRow } from '../outbox/outbox.table.ts';
import { queueMessage } from '../outbox/outbox.ts';

export interface PressedCard {
  /** The outbox row that posted the card. */
  row: OutboxRow;
  /** The card as it was posted. */
  card: Card;
}

/**
 * The card of `kind` the bot posted where the button was pressed, when the pressed button is on it.
 * Undefined without the platform's message id, or when the id names a message the bot did not post
 * with that button: an action must not replace some other card.
 */
export async function pressedCard(
  db: DbOrTx,
  event: ActionEvent,
  kind: string,
): Promise<PressedCard | undefined> {
  if (!event.messageId) return undefined;
  const row = await postedRowOf(db, {
    platform: event.platform,
    channel: event.conversation.channel,
    messageId: event.messageId,
  });
  const card = row?.body.message?.card;
  if (!row || card?.kind !== kind) return undefined;
  const pressed = (card.actions ?? []).some(
    (action) =>
      action.type === 'button' && action.actionId === event.actionId && action.value === event.value,
  );
  return pressed ? { row, card } : undefined;
}

/**
 * Queues the update that shows `message` in place of the pressed card. `key` names the outcome, so
 * a retried event writes the same row and a second, different outcome writes a new one.
 */
export async function replacePressedCard(
  tx: Tx,
  pressed: PressedCard,
  input: { key: string; message: OutMessage; purpose: string },
): Promise<void> {
  const { row } = pressed;
  await queueMessage(tx, {
    key: `${input.key}-card-${row.id}`,
    op: 'update',
    target: row.target,
    // The same lane as the post, so the update cannot overtake it.
    ...(row.thread_of ? { threadOf: row.thread_of } : {}),
    updateOf: row.id,
    message: input.message,
    ticketId: row.ticket_id ?? undefined,
    purpose: input.purpose,
  });
}

/** Command and action answers go only to the person who asked. */
import type { ChatEvent, ConversationRef } from '../../chat/chat.ts';
import type { CommandResult } from '../../commands/command.ts';
import type { Tx } from '../../db.ts';
import { queueMessage } from '../../outbox/outbox.ts';

export async function deliverResult(
  tx: Tx,
  event: ChatEvent,
  inboundEventId: number,
  result: CommandResult | undefined,
): Promise<void> {
  if (!result || 'answered' in result) return;
  const key = `result-${inboundEventId}`;
  const target = event.conversation;
  if ('home' in result) {
    await queueMessage(tx, { key, op: 'home', target, userId: event.sender.userId, messages: result.home });
    return;
  }
  if ('dialog' in result) {
    await queueMessage(tx, {
      key,
      op: 'dialog',
      target,
      dialog: result.dialog,
      triggerId: 'triggerId' in event ? (event.triggerId ?? '') : '',
      userId: event.sender.userId,
    });
    return;
  }
  await queueMessage(tx, {
    key,
    op: result.public ? 'post' : 'ephemeral',
    target,
    message: result.reply,
    userId: event.sender.userId,
  });
}

/** The bot's one reply to a message, in the conversation it came from. */
export async function replyTo(tx: Tx, target: ConversationRef, inboundEventId: number, text: string) {
  await queueMessage(tx, { key: `reply-${inboundEventId}`, op: 'post', target, message: { text } });
}

import type { ConversationRef, OutMessage } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import { queueMessage } from './outbox.ts';

/**
 * Posts a top-level message to every configured channel of a kind; `text` gets the platform's
 * mentions. Returns how many channels it reached.
 */
export async function postToChannels(
  tx: Tx,
  channels: ConversationRef[],
  build: (channel: ConversationRef) => Promise<OutMessage>,
  key: string,
  ticketId: number | undefined,
): Promise<number> {
  let count = 0;
  for (const channel of channels) {
    await queueMessage(tx, {
      key: `${key}-${channel.platform}-${channel.channel}`,
      op: 'post',
      target: { ...channel, thread: undefined },
      message: await build(channel),
      ...(ticketId === undefined ? {} : { ticketId }),
      purpose: 'alert',
    });
    count++;
  }
  return count;
}

/** A 🎫 reaction files the message it was put on, for that message's author. */

import type { ReactionEvent } from '../../chat/chat.ts';
import type { Tx } from '../../db.ts';
import type { CoreDeps } from '../../deps.ts';
import { messagesFor } from '../../i18n/i18n.ts';
import { keptAttachments } from '../../tickets/attachments.ts';
import { refusalText } from '../../tickets/refusal.ts';
import { createTicket } from '../../tickets/ticket.create.ts';
import { type Prepared, TICKET_EMOJI } from '../prepare.ts';
import { deliverResult } from './result.ts';

export async function handleReaction(
  deps: CoreDeps,
  tx: Tx,
  event: ReactionEvent,
  inboundEventId: number,
  prepared: Prepared,
): Promise<void> {
  if (!TICKET_EMOJI.has(event.emoji)) return;
  const say = (text: string) => deliverResult(tx, event, inboundEventId, { reply: { text } });
  const files = keptAttachments(event.platform, prepared.targetFiles);
  if ((!prepared.targetText && files.length === 0) || !prepared.author)
    return say(messagesFor(prepared.language).unreadable);
  const result = await createTicket(deps, tx, prepared.person, {
    description: prepared.targetText ?? '',
    files,
    requesterId: prepared.author.id,
    conversation: { ...event.conversation, thread: event.conversation.thread ?? event.target.messageId },
    conversationId: prepared.conversationId,
    sourceEventId: inboundEventId,
  });
  if (!result.ok) await say(refusalText(result.refusal, prepared.language));
}

/** Runs the use case for one event inside its transaction, by kind. */
import { runAction } from '../actions/registry.ts';
import type { ChatEvent } from '../chat/chat.ts';
import { welcomeMessage } from '../chat/messages.ts';
import { runCommand } from '../commands/registry.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { handleMessage } from './intake/message.ts';
import { handleReaction } from './intake/reaction.ts';
import { deliverResult } from './intake/result.ts';
import type { Prepared } from './prepare.ts';

export async function handleEvent(
  deps: CoreDeps,
  tx: Tx,
  event: ChatEvent,
  inboundEventId: number,
  prepared: Prepared,
): Promise<void> {
  const ctx = {
    sender: prepared.sender,
    conversation: event.conversation,
    conversationId: prepared.conversationId,
    triggerId: 'triggerId' in event ? event.triggerId : undefined,
    eventId: event.eventId,
    named: prepared.named,
  };
  switch (event.kind) {
    case 'command':
      return deliverResult(
        tx,
        event,
        inboundEventId,
        await runCommand(deps, tx, prepared.person, event.text, ctx),
      );
    case 'action':
      return deliverResult(tx, event, inboundEventId, await runAction(deps, tx, prepared.person, event, ctx));
    case 'installed':
      await queueMessage(tx, {
        key: `welcome-${inboundEventId}`,
        op: 'post',
        target: { ...event.conversation, thread: undefined },
        message: welcomeMessage(),
      });
      return;
    case 'reaction':
      return handleReaction(deps, tx, event, inboundEventId, prepared);
    case 'message':
      return handleMessage(deps, tx, event, inboundEventId, prepared);
  }
}

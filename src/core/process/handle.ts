/** Runs the use case for one event inside its transaction, by kind. */
import { runAction } from '../actions/registry.ts';
import type { ChatEvent } from '../chat/chat.ts';
import { welcomeMessage } from '../chat/messages.ts';
import { runCommand } from '../commands/registry.ts';
import { firstWelcome, markRemoved } from '../conversations/installation.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { teamMessages } from '../i18n/choose.ts';
import { type Messages, messagesFor } from '../i18n/i18n.ts';
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
  /** Undefined when preparing found nothing to do (a message not for the bot). */
  prepared: Prepared | undefined,
): Promise<void> {
  if (event.kind === 'uninstalled') {
    const { platform, tenant, channel } = event.conversation;
    const place = { platform, tenant, channel: event.scope === 'workspace' ? '' : channel };
    await markRemoved(tx, place, event.reason, deps.clock.now());
    deps.log.info({ ...place, reason: event.reason }, 'the bot was removed; deliveries there stop');
    return;
  }
  if (!prepared) return;
  const ctx = {
    sender: prepared.sender,
    conversation: event.conversation,
    conversationId: prepared.conversationId,
    triggerId: 'triggerId' in event ? event.triggerId : undefined,
    eventId: event.eventId,
    named: prepared.named,
    language: prepared.language,
  };
  switch (event.kind) {
    case 'command':
      // Opening the app for the first time (Slack App Home) is when its DM gets the welcome.
      if (event.text === 'home' && event.conversation.isDirect)
        await welcomeOnce(deps, tx, event, messagesFor(prepared.language));
      return deliverResult(
        tx,
        event,
        inboundEventId,
        await runCommand(deps, tx, prepared.person, event.text, ctx),
      );
    case 'action':
      return deliverResult(tx, event, inboundEventId, await runAction(deps, tx, prepared.person, event, ctx));
    case 'installed':
      await welcomeOnce(deps, tx, event, await teamMessages(tx));
      return;
    case 'reaction':
      return handleReaction(deps, tx, event, inboundEventId, prepared);
    case 'message':
      return handleMessage(deps, tx, event, inboundEventId, prepared);
  }
}

/**
 * The welcome, said once per conversation however often the install is repeated: in the team's
 * language where the bot was added, in the person's own in their App Home.
 */
async function welcomeOnce(deps: CoreDeps, tx: Tx, event: ChatEvent, m: Messages): Promise<void> {
  const { platform, tenant, channel } = event.conversation;
  if (!(await firstWelcome(tx, { platform, tenant, channel }, deps.clock.now()))) return;
  await queueMessage(tx, {
    key: `welcome-${platform}-${tenant}-${channel}`,
    op: 'post',
    target: { ...event.conversation, thread: undefined },
    message: welcomeMessage(m),
  });
}

/**
 * A chat message: a reply in a ticket's thread (agent reply or note, requester reply), a
 * requester's follow-up to their open ticket, or a new request the router decided on.
 */
import { answerCard } from '../../chat/cards.ts';
import type { MessageEvent } from '../../chat/chat.ts';
import { setConversationState } from '../../conversations/conversation.repository.ts';
import type { Tx } from '../../db.ts';
import type { CoreDeps } from '../../deps.ts';
import { answerFollowUp } from '../../forms/form.followup.ts';
import { teamMessages } from '../../i18n/choose.ts';
import { type Messages, messagesFor } from '../../i18n/i18n.ts';
import { queueMessage } from '../../outbox/outbox.ts';
import { hasRole } from '../../people/people.service.ts';
import type { RouteDecision } from '../../routing/router.ts';
import { keptAttachments } from '../../tickets/attachments.ts';
import { refusalText } from '../../tickets/refusal.ts';
import * as tickets from '../../tickets/ticket.service.ts';
import type { Prepared } from '../prepare.ts';
import { replyTo } from './result.ts';

export async function handleMessage(
  deps: CoreDeps,
  tx: Tx,
  event: MessageEvent,
  inboundEventId: number,
  prepared: Prepared,
): Promise<void> {
  const text = event.text.trim();
  const files = keptAttachments(event.platform, event.attachments);
  if (!text && files.length === 0) return;
  const { person, thread } = prepared;
  if (prepared.endsStateOf !== undefined)
    await setConversationState(tx, prepared.endsStateOf, null, deps.clock.now());
  // The answer to a follow-up question for a required form field, where the requester would reply.
  const followed = thread?.thread.role === 'requester' ? thread.ticket.id : prepared.openTicket?.id;
  const answering = { target: event.conversation, key: `reply-${inboundEventId}` };
  if (followed !== undefined && (await answerFollowUp(deps, tx, person, followed, text, answering))) return;
  if (thread) {
    if (thread.thread.role === 'requester') {
      await tickets.requesterReply(deps, tx, person, thread.ticket.id, text, files);
      return;
    }
    if (!hasRole(person.role, 'agent')) return;
    const note = /^note:\s*/i.exec(text);
    if (!note) {
      await tickets.agentReply(deps, tx, person, thread.ticket.id, text, true, files);
      return;
    }
    const noted = await tickets.addNote(
      deps,
      tx,
      person,
      thread.ticket.id,
      text.slice(note[0].length),
      true,
      files,
    );
    // A reply shows up with the requester; a note nowhere else: say it was taken, and kept internal.
    if (noted.ok) {
      await queueMessage(tx, {
        key: `reply-${inboundEventId}`,
        op: 'ephemeral',
        target: event.conversation,
        userId: event.sender.userId,
        message: { text: (await teamMessages(tx)).notedPrivately(noted.ticket.number) },
      });
    }
    return;
  }
  if (prepared.openTicket) {
    const { id, number, waiting } = prepared.openTicket;
    const result = await tickets.requesterReply(deps, tx, person, id, text, files);
    // Outside the ticket's thread the requester cannot see where their answer went: say so.
    if (result.ok && waiting) {
      await replyTo(
        tx,
        event.conversation,
        inboundEventId,
        messagesFor(prepared.language).addedToTicket(number),
      );
    }
    return;
  }
  if (prepared.decision && prepared.stateConversationId !== undefined) {
    await handleDecision(deps, tx, event, inboundEventId, prepared, prepared.decision);
  }
}

async function handleDecision(
  deps: CoreDeps,
  tx: Tx,
  event: MessageEvent,
  inboundEventId: number,
  prepared: Prepared,
  decision: RouteDecision,
): Promise<void> {
  const target = event.conversation;
  const m = messagesFor(prepared.language);
  const stateConversationId = prepared.stateConversationId ?? prepared.conversationId;
  switch (decision.kind) {
    case 'file': {
      await setConversationState(tx, stateConversationId, null, deps.clock.now());
      const result = await tickets.createTicket(deps, tx, prepared.person, {
        description: decision.summary ?? event.text.trim(),
        // A file alone has no words to title it by: the file's name does (see createTicket).
        title: event.text.trim() ? decision.triage.title : undefined,
        files: keptAttachments(event.platform, event.attachments),
        triage: decision.triage,
        conversation: target,
        conversationId: prepared.conversationId,
        sourceEventId: inboundEventId,
      });
      if (!result.ok)
        await replyTo(tx, target, inboundEventId, refusalText(result.refusal, prepared.language));
      return;
    }
    case 'answer':
      await setConversationState(
        tx,
        stateConversationId,
        { answer: { inboundEventId, articles: decision.articles } },
        deps.clock.now(),
      );
      await queueMessage(tx, {
        key: `answer-${inboundEventId}`,
        op: 'post',
        target,
        message: answerCard({
          answer: decision.answer,
          articles: decision.articles,
          // The recorded answer when the router names it; else the message, looked up by conversation.
          answerId: decision.answerId ? `answer:${decision.answerId}` : String(inboundEventId),
          m,
        }),
      });
      return;
    case 'clarify':
      await setConversationState(tx, stateConversationId, decision.state, deps.clock.now());
      return replyTo(tx, target, inboundEventId, askedIn(m, decision));
    case 'chatter':
      // "ok" or "thanks" after a question or an answer: the next message starts afresh.
      await setConversationState(tx, stateConversationId, null, deps.clock.now());
      return replyTo(tx, target, inboundEventId, saidIn(m, decision));
  }
}

/** A fixed question in the chosen language; a model's own question as it wrote it. */
function askedIn(m: Messages, decision: Extract<RouteDecision, { kind: 'clarify' }>): string {
  if (decision.ask === 'more') return m.clarifyMore;
  if (decision.ask === 'unsure') return m.clarifyUnsure;
  return decision.question;
}

function saidIn(m: Messages, decision: Extract<RouteDecision, { kind: 'chatter' }>): string {
  if (decision.say === 'thanks') return m.chatterThanks;
  if (decision.say === 'hello') return m.chatterHello;
  return decision.reply;
}

/**
 * The answer card's buttons. "That fixed it" records a deflection and the articles' helpful count;
 * "I still need help" files a ticket carrying the conversation so far. Each decides once.
 */

import type { ActionSpec } from '../actions/action.ts';
import { pressedCard, replacePressedCard } from '../actions/pressed-card.ts';
import { type AnswerOutcome, decidedAnswerCard } from '../chat/cards.ts';
import type { ActionEvent, ChatEvent, ConversationRef } from '../chat/chat.ts';
import type { CommandResult } from '../commands/command.ts';
import type { DbOrTx, Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { type Messages, messagesFor } from '../i18n/i18n.ts';
import { findPerson, type Person } from '../people/people.service.ts';
import type { Triage } from '../routing/router.ts';
import { refusalText } from '../tickets/refusal.ts';
import { findTicketById } from '../tickets/ticket.repository.ts';
import { createTicket } from '../tickets/ticket.service.ts';
import { markHelpful } from './kb.repository.ts';
import type { AnswerRow } from './kb.table.ts';
import {
  answersInConversation,
  decideAnswer,
  findAnswer,
  findAnswerForMessage,
  recordAnswer,
} from './kb-answer.repository.ts';

const say = (text: string): CommandResult => ({ reply: { text } });

interface AnswerContext {
  answer: AnswerRow;
  /** The message that was answered, when the button carries its inbound event id. */
  source?: { inboundEventId: number; conversation: ConversationRef; text: string } | undefined;
}

/**
 * The button value is `answer:<id>` (core's answer card, when the router recorded the answer) or
 * `conversation:<id>`; otherwise the inbound event id of the answered message, found through that
 * event's conversation first, not its words: after a clarifying question the recorded question
 * holds both turns.
 */
async function loadAnswer(
  db: DbOrTx,
  actor: Person,
  value: string,
  now: Date,
): Promise<AnswerContext | undefined> {
  if (value.includes(':')) {
    const answer = await findAnswer(db, value);
    return answer ? { answer } : undefined;
  }
  if (!/^\d+$/.test(value)) return undefined;
  const inbound = await db
    .selectFrom('inbound_events')
    .select(['id', 'payload'])
    .where('id', '=', Number(value))
    .executeTakeFirst();
  const event = inbound?.payload as ChatEvent | undefined;
  if (!inbound || event?.kind !== 'message') return undefined;
  const source = { inboundEventId: inbound.id, conversation: event.conversation, text: event.text };
  const asker = await findPerson(db, { platform: event.platform, userId: event.sender.userId });
  const answer = await findAnswerForMessage(db, {
    inboundEventId: inbound.id,
    event,
    requesterId: asker?.id ?? actor.id,
  });
  if (answer) return { answer, source };
  // The router did not record it (another router, or a lost write): keep the verdict anyway.
  const id = await recordAnswer(
    db,
    { conversationId: null, requesterId: actor.id, question: event.text, answer: '', articleIds: [] },
    now,
  );
  const created = await findAnswer(db, `answer:${id}`);
  return created ? { answer: created, source } : undefined;
}

export const answerFixed: ActionSpec<CoreDeps> = {
  actionId: 'answer.fixed',
  async run(deps, tx, actor, event, ctx) {
    const m = messagesFor(ctx.language);
    const found = await loadAnswer(tx, actor, event.value, deps.clock.now());
    if (!found) return say(m.answerGone);
    const { answer } = found;
    if (answer.requester_id !== null && answer.requester_id !== actor.id) {
      return say(m.answerNotYoursFixed);
    }
    const decided = await decideAnswer(tx, answer.id, 'fixed', null, deps.clock.now());
    if (decided) await markHelpful(tx, answer.article_ids, true);
    if (!decided) {
      // The card may still offer its buttons (its update not delivered yet): show what was decided.
      await showDecision(tx, event, answer, m);
      return say(answer.outcome === 'more-help' ? m.answerAlreadyFiled : m.answerNotedAlready);
    }
    deps.log.info({ answerId: answer.id, articles: answer.article_ids }, 'answer deflected a ticket');
    // The card now says it; a message as well only where there is no card to change.
    if (await showDecision(tx, event, answer, m, { kind: 'fixed' })) return undefined;
    return say(m.answerGlad);
  },
};

export const answerMoreHelp: ActionSpec<CoreDeps> = {
  actionId: 'answer.more-help',
  async run(deps, tx, actor, event, ctx) {
    const m = messagesFor(ctx.language);
    const found = await loadAnswer(tx, actor, event.value, deps.clock.now());
    if (!found) return say(m.answerGoneDescribe);
    const { answer, source } = found;
    if (answer.requester_id !== null && answer.requester_id !== actor.id) {
      return say(m.answerNotYoursMore);
    }
    if (answer.outcome === 'more-help' && answer.ticket_id !== null) {
      await showDecision(tx, event, answer, m);
      return say(m.answerAlreadyOpen);
    }
    const triage = (answer.triage ?? {}) as Partial<Triage>;
    const result = await createTicket(deps, tx, actor, {
      description: await conversationSoFar(tx, answer),
      title: triage.title,
      // The bot could not deflect it, so IT's hands are needed even for a "self-service" topic.
      triage: { ...triage, self_service: false },
      conversation: source?.conversation ?? ctx.conversation,
      conversationId: answer.conversation_id ?? ctx.conversationId,
      sourceEventId: source?.inboundEventId,
    });
    if (!result.ok) return say(refusalText(result.refusal, ctx.language));
    // Events of one conversation run one at a time, so the verdict read above is still current.
    const wasFixed = answer.outcome === 'fixed';
    const from = wasFixed ? 'fixed' : null;
    if (await decideAnswer(tx, answer.id, 'more-help', result.ticket.id, deps.clock.now(), from)) {
      await markHelpful(tx, answer.article_ids, false, wasFixed);
    }
    // The filing acknowledgement stays: it names the ticket's title and priority and says where
    // IT will reply, and it notifies, which a changed card does not.
    await showDecision(tx, event, answer, m, { kind: 'ticket', ticketNumber: result.ticket.number });
    return undefined;
  },
};

/**
 * Replaces the pressed answer card with the outcome (`outcome`, or the one already recorded on
 * the answer). False when there is no card to change or nothing was decided.
 */
async function showDecision(
  tx: Tx,
  event: ActionEvent,
  answer: AnswerRow,
  m: Messages,
  outcome?: AnswerOutcome,
): Promise<boolean> {
  const shown = outcome ?? (await recordedOutcome(tx, answer));
  if (!shown) return false;
  const pressed = await pressedCard(tx, event, 'answer');
  if (!pressed) return false;
  await replacePressedCard(tx, pressed, {
    key: `answer-${answer.id}-${shown.kind === 'fixed' ? 'fixed' : `ticket-${shown.ticketNumber}`}`,
    message: decidedAnswerCard(pressed.card, shown, m),
    purpose: 'answer-update',
  });
  return true;
}

async function recordedOutcome(db: DbOrTx, answer: AnswerRow): Promise<AnswerOutcome | undefined> {
  if (answer.outcome === 'fixed') return { kind: 'fixed' };
  if (answer.outcome !== 'more-help' || answer.ticket_id === null) return undefined;
  const ticket = await findTicketById(db, answer.ticket_id);
  return ticket ? { kind: 'ticket', ticketNumber: ticket.number } : undefined;
}

/**
 * The answers that belong to this request: the ones just before it in the conversation, back to
 * the last one the requester already decided on, within the hour before it (a long-lived direct
 * chat holds many unrelated questions).
 */
function sameRequest(recent: AnswerRow[], answer: AnswerRow): AnswerRow[] {
  const since = answer.created_at.getTime() - 60 * 60_000;
  const run: AnswerRow[] = [];
  for (const row of [...recent].reverse()) {
    if (row.id !== answer.id && (row.outcome !== null || row.created_at.getTime() < since)) break;
    run.unshift(row);
  }
  return run;
}

/** The requester's question(s) and what the bot suggested, so IT does not ask again. */
async function conversationSoFar(db: DbOrTx, answer: AnswerRow): Promise<string> {
  const recent =
    answer.conversation_id === null
      ? [answer]
      : await answersInConversation(db, answer.conversation_id, { upTo: answer.id, limit: 5 });
  const earlier = sameRequest(recent, answer);
  const parts = (earlier.length ? earlier : [answer]).map((a) =>
    a.answer
      ? `${a.question}\n\n— Suggested by the helpdesk bot (articles: ${a.article_ids.join(', ') || 'none'}):\n${indent(a.answer)}`
      : a.question,
  );
  return `${parts.join('\n\n')}\n\nThe requester says this did not fix it.`;
}

function indent(text: string): string {
  const short = text.length > 600 ? `${text.slice(0, 600)}…` : text;
  return short
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

export const kbActions: ActionSpec<CoreDeps>[] = [answerFixed, answerMoreHelp];

/**
 * The requester's answer to a follow-up question for a required field: stored (or skipped) on the
 * ticket's timeline through the one change path, which refreshes the card; then the next question,
 * or a thank-you once nothing required is missing.
 */
import type { ConversationRef } from '../chat/chat.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { requesterMessages } from '../i18n/choose.ts';
import { queueMessage } from '../outbox/outbox.ts';
import type { Person } from '../people/people.service.ts';
import { changeTicket } from '../tickets/ticket.change.ts';
import { findTicketById } from '../tickets/ticket.repository.ts';
import { answerQuestion, askNextField, openQuestion, questionText } from './form.service.ts';

/**
 * Takes `text` as the answer to the ticket's open question, if it has one and `actor` is its
 * requester; false when the message is something else (a reply for IT).
 */
export async function answerFollowUp(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  ticketId: number,
  text: string,
  where: { target: ConversationRef; key: string },
): Promise<boolean> {
  const question = await openQuestion(tx, ticketId);
  const ticket = question ? await findTicketById(tx, ticketId) : undefined;
  if (!question || !ticket || ticket.requester_id !== actor.id || !text.trim()) return false;
  const now = deps.clock.now();
  const answer = await answerQuestion(tx, ticket, question, text, now);
  const say = (line: string, suffix: string) =>
    queueMessage(tx, {
      key: `${where.key}-${suffix}`,
      op: 'post',
      target: where.target,
      message: { text: line },
      ticketId,
    });
  const m = await requesterMessages(tx, ticket);
  if (answer.kind === 'invalid') {
    await say(`${m.formNotAnOption} ${questionText(ticket.number, answer.field, m)}`, 'again');
    return true;
  }
  const changed = await changeTicket(deps, tx, actor, ticketId, 'requester-or-agent', () => ({
    type: answer.kind === 'stored' ? 'field_set' : 'field_skipped',
    patch: {},
    after: answer.kind === 'stored' ? { field: answer.name, value: answer.value } : { field: answer.name },
    refreshCard: answer.kind === 'stored',
  }));
  if (!changed.ok) return false;
  if (await askNextField(tx, changed.ticket, where.target, now)) return true;
  await say(m.formDone(ticket.number), 'done');
  return true;
}

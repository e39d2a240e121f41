/** Answers the knowledge agent gave, so "That fixed it" / "I still need help" know what they refer to. */
import type { MessageEvent } from '../chat/chat.ts';
import { stateConversationOf } from '../conversations/conversation.repository.ts';
import { type DbOrTx, json } from '../db.ts';
import type { AnswerRow } from './kb.table.ts';

export interface NewAnswer {
  conversationId: number | null;
  requesterId: number | null;
  question: string;
  answer: string;
  articleIds: string[];
  triage?: Record<string, unknown> | null | undefined;
}

export async function recordAnswer(db: DbOrTx, input: NewAnswer, now: Date): Promise<number> {
  const row = await db
    .insertInto('kb_answers')
    .values({
      conversation_id: input.conversationId,
      requester_id: input.requesterId,
      question: input.question,
      answer: input.answer,
      article_ids: input.articleIds,
      triage: input.triage ? json(input.triage) : null,
      outcome: null,
      ticket_id: null,
      created_at: now,
      decided_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Finds the answer a button refers to. The value is an answer id, or a conversation id (the latest
 * answer in it), whichever the card carried.
 */
export async function findAnswer(db: DbOrTx, value: string): Promise<AnswerRow | undefined> {
  const [kind, raw] = value.includes(':') ? value.split(':', 2) : ['answer', value];
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  if (kind === 'conversation') {
    return db
      .selectFrom('kb_answers')
      .selectAll()
      .where('conversation_id', '=', Number(raw))
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  return db.selectFrom('kb_answers').selectAll().where('id', '=', Number(raw)).executeTakeFirst();
}

/**
 * The answer given to one inbound message. Core keeps `{ answer: { inboundEventId } }` in the
 * conversation's state once it posts the card, so while that card is the latest it is the newest
 * answer recorded in that conversation; otherwise (or when the conversation did not exist yet when
 * the router ran) it is the requester's newest answer to exactly these words there.
 */
export async function findAnswerForMessage(
  db: DbOrTx,
  /** `requesterId`: the person who sent the message (who may decide on its answer). */
  input: { inboundEventId: number; event: MessageEvent; requesterId: number },
): Promise<AnswerRow | undefined> {
  const { event } = input;
  const conversation = await stateConversationOf(db, event);
  const pointer = answerPointer(conversation?.state);
  if (conversation && pointer?.inboundEventId === input.inboundEventId) {
    const latest = await db
      .selectFrom('kb_answers')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && sameIds(latest.article_ids, pointer.articleIds)) return latest;
  }
  return db
    .selectFrom('kb_answers')
    .selectAll()
    .where('question', '=', event.text)
    .where((eb) => eb.or([eb('requester_id', '=', input.requesterId), eb('requester_id', 'is', null)]))
    .where((eb) =>
      conversation
        ? eb.or([eb('conversation_id', '=', conversation.id), eb('conversation_id', 'is', null)])
        : eb('conversation_id', 'is', null),
    )
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

function answerPointer(state: unknown): { inboundEventId: number; articleIds: string[] } | undefined {
  const answer = (state as { answer?: { inboundEventId?: unknown; articles?: unknown } } | null)?.answer;
  if (!answer || answer.inboundEventId === undefined) return undefined;
  const articles = Array.isArray(answer.articles) ? answer.articles : [];
  return {
    // Stored as JSON: a number now, a string in states written before ids were numbers.
    inboundEventId: Number(answer.inboundEventId),
    articleIds: articles.map((a: { id?: unknown }) => String(a?.id)),
  };
}

// A guard against a newer answer in the same conversation whose card is not committed yet.
function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/** The newest answers given in a conversation (up to `upTo`), oldest first: the story a ticket should carry. */
export async function answersInConversation(
  db: DbOrTx,
  conversationId: number,
  options: { upTo?: number | undefined; limit?: number } = {},
): Promise<AnswerRow[]> {
  let query = db.selectFrom('kb_answers').selectAll().where('conversation_id', '=', conversationId);
  if (options.upTo !== undefined) query = query.where('id', '<=', options.upTo);
  const newest = await query
    .orderBy('id', 'desc')
    .limit(options.limit ?? 20)
    .execute();
  return newest.reverse();
}

/**
 * Records the requester's verdict once; returns false when it was already decided. `from: 'fixed'`
 * lets "I still need help" replace an earlier "That fixed it" (the fix did not last).
 */
export async function decideAnswer(
  db: DbOrTx,
  id: number,
  outcome: 'fixed' | 'more-help',
  ticketId: number | null,
  now: Date,
  from: 'fixed' | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('kb_answers')
    .set({ outcome, ticket_id: ticketId, decided_at: now })
    .where('id', '=', id)
    .where('outcome', from === null ? 'is' : '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Answers the knowledge agent gave, so "That fixed it" / "I still need help" know what they refer to. */
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

export async function recordAnswer(db: DbOrTx, input: NewAnswer, now = new Date()): Promise<string> {
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
  return String(row.id);
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
  return db.selectFrom('kb_answers').selectAll().where('id', '=', raw).executeTakeFirst();
}

/** The answers given in a conversation so far, oldest first: the story a ticket should carry. */
export async function answersInConversation(db: DbOrTx, conversationId: number): Promise<AnswerRow[]> {
  return db
    .selectFrom('kb_answers')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'asc')
    .limit(20)
    .execute();
}

/** Records the requester's verdict once; returns false when it was already decided. */
export async function decideAnswer(
  db: DbOrTx,
  id: string,
  outcome: 'fixed' | 'more-help',
  ticketId: number | null,
  now = new Date(),
): Promise<boolean> {
  const result = await db
    .updateTable('kb_answers')
    .set({ outcome, ticket_id: ticketId, decided_at: now })
    .where('id', '=', id)
    .where('outcome', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

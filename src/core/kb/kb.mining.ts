/** Knowledge mining: a resolved ticket with a resolution note becomes a draft article for an admin to review. */
import type { DbOrTx } from '../db.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import { getArticle, upsertArticle } from './kb.repository.ts';

export interface DraftContent {
  title: string;
  body: string;
  tags?: string[] | undefined;
}

export const draftIdFor = (ticket: Pick<TicketRow, 'number'>) => `ticket-${ticket.number}`;

/** The structured template used when no model is available. Inputs must already be redacted. */
export function templateDraft(
  ticket: Pick<TicketRow, 'number' | 'title' | 'category'>,
  problem: string,
  resolution: string,
): DraftContent {
  return {
    title: ticket.title,
    body: [
      '## Problem',
      problem.trim(),
      '',
      '## Resolution',
      resolution.trim(),
      '',
      `_Drafted from ticket #${ticket.number}; review and generalise before publishing._`,
    ].join('\n'),
    tags: [ticket.category, 'from-ticket'],
  };
}

/**
 * Writes (or refreshes) the draft for a ticket. Never touches an article an admin already
 * published or rejected: nothing reaches the knowledge base unreviewed.
 */
export async function saveTicketDraft(
  db: DbOrTx,
  ticket: Pick<TicketRow, 'id' | 'number'>,
  draft: DraftContent,
  now: Date,
): Promise<'saved' | 'kept'> {
  const id = draftIdFor(ticket);
  const existing = await getArticle(db, id);
  if (existing && existing.status !== 'draft') return 'kept';
  await upsertArticle(
    db,
    {
      id,
      title: draft.title,
      body: draft.body,
      tags: draft.tags,
      source: 'ticket',
      status: 'draft',
      sourceTicketId: ticket.id,
    },
    now,
  );
  return 'saved';
}

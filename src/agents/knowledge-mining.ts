/**
 * The knowledge-mining ticket hook: when a ticket is resolved with a note, a template draft is
 * written in the same transaction; after commit a model (when configured) rewrites it as a how-to,
 * on the pool (the change's transaction is gone by then).
 */
import { z } from 'zod';
import type { CoreDeps } from '../core/deps.ts';
import { draftIdFor, saveTicketDraft, templateDraft } from '../core/kb/kb.mining.ts';
import { getArticle } from '../core/kb/kb.repository.ts';
import type { TicketHook } from '../core/tickets/ticket.hooks.ts';
import { afterCommit } from '../core/unit-of-work.ts';
import { redactText } from './guard.ts';
import { callStructured, type LlmDeps } from './llm/structured.ts';

const draftSchema = z.object({
  title: z.string().min(3).max(120),
  body: z.string().min(20).max(6000),
  tags: z.array(z.string().max(40)).max(8),
});

const SYSTEM = `You turn a resolved IT helpdesk ticket into a short knowledge-base article for employees.
Write a clear title ("How to ..." or the symptom), then Markdown steps. Use only what the ticket and its resolution say.
Never include names, e-mail addresses, phone numbers, ticket numbers or placeholders like [email].`;

/** The hook; the app passes it to core in `deps.ticketHooks`. */
export function knowledgeMiningHook(llm?: Omit<LlmDeps, 'db'>): TicketHook<CoreDeps> {
  return async (tx, deps: CoreDeps, change) => {
    const { ticket } = change;
    if (change.type !== 'resolved' || !ticket.resolution?.trim()) return;
    const problem = redactText(ticket.description);
    const resolution = redactText(ticket.resolution);
    const template = templateDraft({ ...ticket, title: redactText(ticket.title) }, problem, resolution);
    const saved = await saveTicketDraft(tx, ticket, template, deps.clock.now());
    if (saved !== 'saved' || !llm?.model) return;
    afterCommit(tx, async () => {
      const result = await callStructured(
        { ...llm, db: deps.db },
        {
          purpose: 'kb_draft',
          schema: draftSchema,
          system: SYSTEM,
          user: `Problem:\n${problem}\n\nResolution:\n${resolution}`,
        },
      );
      if (!result.ok) {
        deps.log.info({ ticketId: ticket.id, error: result.error }, 'knowledge draft kept as the template');
        return;
      }
      // Only improve our own untouched template; an admin's edits or decision win.
      const current = await getArticle(deps.db, draftIdFor(ticket));
      if (current?.status !== 'draft' || current.body !== template.body) return;
      await saveTicketDraft(
        deps.db,
        ticket,
        {
          title: result.value.title,
          body: `${result.value.body}\n\n_Drafted from ticket #${ticket.number}._`,
          tags: result.value.tags,
        },
        deps.clock.now(),
      );
    });
  };
}

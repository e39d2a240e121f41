/**
 * Why a ticket use case said no: a code with the facts it needs, turned into words in one place
 * (`refusalText`), so callers switch on codes. The words are in the catalogues (`refusals.<code>` in
 * src/core/i18n/en.ts and its translations): a new code needs its English text there.
 */
import { messagesFor } from '../i18n/i18n.ts';
import type { Role } from '../people/people.table.ts';
import type { Priority, TicketStatus } from './ticket.ts';

export type Refusal =
  | { code: 'no_such_ticket' }
  | { code: 'empty_request' }
  | { code: 'agents_only'; role: Role }
  | { code: 'not_yours'; number: number }
  | { code: 'reopen_first'; number: number; status: TicketStatus }
  | { code: 'already_yours'; number: number }
  | { code: 'not_an_agent'; number: number; name: string; mention: string; unassigned: boolean }
  | { code: 'already_assigned'; number: number; name: string }
  | { code: 'same_priority'; number: number; priority: Priority }
  | { code: 'closed'; number: number }
  | { code: 'closed_reply'; number: number }
  | { code: 'closed_reopen'; number: number }
  | { code: 'not_resolved'; number: number }
  | { code: 'not_resolved_yet'; number: number }
  | { code: 'empty_note' }
  | { code: 'empty_reply' }
  | { code: 'transition'; number: number; reason: string }
  | { code: 'rate_not_requester' }
  | { code: 'rate_range' }
  | { code: 'no_approval'; number: number }
  | { code: 'approve_own'; number: number }
  | { code: 'not_approver'; number: number; category: string }
  | { code: 'approval_decided'; number: number; decision: 'approved' | 'denied'; by: string }
  | { code: 'deny_reason' };

/** Every code's words, in every catalogue: a code without English words does not compile here. */
type RefusalTexts = { [C in Refusal['code']]: (refusal: Extract<Refusal, { code: C }>) => string };

/** The words a person sees for a refusal, in their language (English when none is given). */
export function refusalText(refusal: Refusal, language?: string | null): string {
  const texts: RefusalTexts = messagesFor(language).refusals;
  return (texts[refusal.code] as (r: Refusal) => string)(refusal);
}

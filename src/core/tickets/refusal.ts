/**
 * Why a ticket use case said no: a code with the facts it needs, turned into words in one place
 * (`refusalText`), so callers switch on codes and the wording lives beside its siblings.
 */
import { aRole, type Role } from '../people/people.table.ts';
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

/** The words a person sees for a refusal. */
export function refusalText(refusal: Refusal): string {
  switch (refusal.code) {
    case 'no_such_ticket':
      return 'No such ticket.';
    case 'empty_request':
      return 'Tell me what you need help with, e.g. `new my VPN drops every hour`.';
    case 'agents_only':
      return `Only agents can do that (you are ${aRole(refusal.role)}).`;
    case 'not_yours':
      return `Ticket #${refusal.number} is not yours; only its requester or an agent can do that.`;
    case 'reopen_first':
      return `#${refusal.number} is ${refusal.status}; reopen it first.`;
    case 'already_yours':
      return `You already have #${refusal.number}.`;
    case 'not_an_agent':
      return `${refusal.name} is not an agent, so #${refusal.number} stays ${refusal.unassigned ? 'unassigned' : 'with its current assignee'}. An admin can make them one (“role ${refusal.mention} agent”), then assign it again.`;
    case 'already_assigned':
      return `#${refusal.number} is already with ${refusal.name}.`;
    case 'same_priority':
      return `#${refusal.number} is already ${refusal.priority}.`;
    case 'closed':
      return `#${refusal.number} is closed.`;
    case 'closed_reply':
      return `Ticket #${refusal.number} is closed. Send a new message and I'll file a new ticket.`;
    case 'closed_reopen':
      return `#${refusal.number} is closed; file a new ticket instead.`;
    case 'not_resolved':
      return `#${refusal.number} is not resolved.`;
    case 'not_resolved_yet':
      return `#${refusal.number} is not resolved yet.`;
    case 'empty_note':
      return 'The note is empty.';
    case 'empty_reply':
      return 'The reply is empty.';
    case 'transition':
      return `Cannot do that to #${refusal.number}: ${refusal.reason}.`;
    case 'rate_not_requester':
      return 'Only the requester can rate a ticket.';
    case 'rate_range':
      return 'Ratings go from 1 to 5.';
    case 'no_approval':
      return `#${refusal.number} is not waiting for an approval.`;
    case 'approve_own':
      return `You asked for #${refusal.number}, so you cannot decide it yourself; one of its other approvers will.`;
    case 'not_approver':
      return `Only the approvers of ${refusal.category} requests (or an admin) can decide #${refusal.number}.`;
    case 'approval_decided':
      return `#${refusal.number} was already ${refusal.decision} by ${refusal.by}.`;
    case 'deny_reason':
      return 'Say why the request is denied: the requester sees the reason.';
  }
}

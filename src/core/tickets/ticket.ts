/** Ticket domain rules that need no database: states, transitions, labels. */

export const STATUSES = ['new', 'awaiting_approval', 'open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CATEGORIES = [
  'access',
  'hardware',
  'software',
  'network',
  'email',
  'printing',
  'security',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'resolved', 'closed'],
  // A request is filed straight into `awaiting_approval`; its decision opens or closes it.
  awaiting_approval: ['open', 'closed'],
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

/** Why a request awaiting approval cannot be worked yet (its approval opens it). */
export const AWAITING_APPROVAL = 'the request is awaiting approval; an approver decides first';

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/** Says whether a ticket may move from one status to another, and why not. */
export function checkTransition(from: TicketStatus, to: TicketStatus): TransitionCheck {
  if (from === to) return { ok: false, reason: `the ticket is already ${from}` };
  if (TRANSITIONS[from].includes(to)) return { ok: true };
  if (from === 'closed') return { ok: false, reason: 'the ticket is closed; file a new one instead' };
  if (to === 'new') return { ok: false, reason: 'a ticket cannot go back to new' };
  if (from === 'awaiting_approval') return { ok: false, reason: AWAITING_APPROVAL };
  if (to === 'awaiting_approval') return { ok: false, reason: 'only a new request waits for approval' };
  return { ok: false, reason: `a ${from} ticket cannot become ${to}` };
}

export function isPriority(value: string): value is Priority {
  return (PRIORITIES as readonly string[]).includes(value);
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** A short title from free text: its first sentence or line, trimmed to a readable length. */
export function titleFrom(text: string, max = 80): string {
  const firstLine = text.trim().split(/\r?\n/)[0] ?? '';
  const sentence = firstLine.split(/(?<=[.!?])\s/)[0] ?? firstLine;
  const clean = sentence.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean || 'Help request';
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

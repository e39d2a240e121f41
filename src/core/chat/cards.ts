import { PRIORITIES, type Priority, type TicketStatus } from '../tickets/ticket.ts';
import type { Card, CardAction, CardField, CardFile, OutMessage } from './chat.ts';

export interface TicketCardView {
  id: number;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: Priority;
  category: string;
  requesterName: string;
  assigneeName: string | null;
  resolution: string | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  escalationLevel: number;
  breached?: boolean | undefined;
  /** The requester's and agents' files (public ones), as links. */
  files?: CardFile[] | undefined;
  /** The request form's answers (`System: SAP`), in the form's order. */
  formFields?: CardField[] | undefined;
}

const STATUS_LABEL: Record<TicketStatus, string> = {
  new: '🆕 New',
  awaiting_approval: '🛂 Awaiting approval',
  open: '🔧 Open',
  pending: '⏳ Waiting on requester',
  resolved: '✅ Resolved',
  closed: '🔒 Closed',
};

const ACCENT: Record<Priority, Card['accent']> = { P1: 'danger', P2: 'warning', P3: 'info', P4: 'info' };

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function formatDue(at: Date | null): string | undefined {
  return at ? at.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : undefined;
}

/** The ticket card every platform renders in the triage channel; its buttons depend on the status. */
export function ticketCard(view: TicketCardView): OutMessage {
  const ref = String(view.id);
  const open = view.status === 'new' || view.status === 'open' || view.status === 'pending';
  const actions: CardAction[] = [];
  if (open) {
    if (!view.assigneeName)
      actions.push({
        type: 'button',
        actionId: 'ticket.claim',
        label: 'Claim',
        value: ref,
        style: 'primary',
      });
    actions.push(
      { type: 'user-select', actionId: 'ticket.assign', placeholder: 'Assign to…', value: ref },
      {
        type: 'select',
        actionId: 'ticket.priority',
        placeholder: 'Priority',
        options: PRIORITIES.map((p) => ({ label: p, value: `${ref}:${p}` })),
        selected: `${ref}:${view.priority}`,
      },
      { type: 'button', actionId: 'ticket.note', label: 'Internal note', value: ref },
      { type: 'button', actionId: 'ticket.resolve', label: 'Resolve', value: ref, style: 'primary' },
      { type: 'button', actionId: 'ticket.close', label: 'Close', value: ref, style: 'danger' },
    );
  } else if (view.status === 'resolved') {
    actions.push(
      { type: 'button', actionId: 'ticket.reopen', label: 'Reopen', value: ref },
      { type: 'button', actionId: 'ticket.close', label: 'Close', value: ref },
    );
  }
  const fields = [
    { label: 'Status', value: STATUS_LABEL[view.status] },
    { label: 'Priority', value: view.priority },
    { label: 'Category', value: view.category },
    { label: 'Requester', value: view.requesterName },
    { label: 'Assignee', value: view.assigneeName ?? 'Unassigned' },
  ];
  fields.push(...(view.formFields ?? []));
  const due = open ? formatDue(view.resolutionDueAt) : undefined;
  if (due) fields.push({ label: 'Resolve by', value: due });
  if (view.breached) fields.push({ label: 'SLA', value: '🚨 Breached' });
  if (view.escalationLevel > 0) fields.push({ label: 'Escalation', value: `Level ${view.escalationLevel}` });
  // A reopened ticket keeps its last resolution in the row, but it no longer resolves anything.
  const body =
    view.resolution && !open
      ? `${truncate(view.description, 600)}\n\nResolution: ${truncate(view.resolution, 400)}`
      : truncate(view.description, 900);
  const files = view.files?.length ? view.files : undefined;
  const attached = files ? ` · 📎 ${files.length} file${files.length === 1 ? '' : 's'}` : '';
  return {
    text: `#${view.number} ${view.title} (${view.priority}, ${view.status})${attached}`,
    card: {
      kind: 'ticket',
      title: `#${view.number} · ${view.title}`,
      accent: view.breached ? 'danger' : ACCENT[view.priority],
      fields,
      body,
      files,
      context: open
        ? 'Reply in this thread to answer the requester; start with "note:" to keep it internal.'
        : view.status === 'awaiting_approval'
          ? 'Waiting for an approver to decide; IT works on it once it is approved.'
          : undefined,
      actions,
    },
  };
}

/**
 * Asked after resolution: one answer per ticket, later clicks change it. Once rated, the card
 * thanks the requester and keeps the scale with their choice marked, so they can still change it.
 */
export function csatCard(ticketId: number, ticketNumber: number, rated?: number): OutMessage {
  const title = rated
    ? `Thanks — you rated #${ticketNumber} ${rated}/5`
    : `How did we do on #${ticketNumber}?`;
  const body = rated
    ? 'Changed your mind? Pick another rating.'
    : 'Rate the help you got, from 1 (poor) to 5 (great).';
  return {
    text: rated ? `${title}. ${body}` : `How did we do on #${ticketNumber}? Rate 1 (poor) to 5 (great).`,
    card: {
      kind: 'csat',
      title,
      body,
      actions: [1, 2, 3, 4, 5].map((score) => ({
        type: 'button' as const,
        actionId: 'csat.rate',
        // The mark is in the label too: the console and screen readers do not show a button style.
        label: score === rated ? `✓ ${'★'.repeat(score)}` : '★'.repeat(score),
        value: `${ticketId}:${score}`,
        ...(score === rated ? { style: 'primary' as const } : {}),
      })),
    },
  };
}

/** A knowledge-base answer with the two buttons that decide whether a ticket is filed. */
export function answerCard(input: {
  answer: string;
  articles: Array<{ id: string; title: string; url?: string | undefined }>;
  answerId: string;
}): OutMessage {
  const sources = input.articles
    .map((a) => (a.url ? `${a.title} (${a.url})` : `${a.title} [kb:${a.id}]`))
    .join('; ');
  return {
    text: `${input.answer}\n\nSources: ${sources}`,
    card: {
      kind: 'answer',
      title: 'This might help',
      body: input.answer,
      context: `Sources: ${sources}`,
      actions: [
        {
          type: 'button',
          actionId: 'answer.fixed',
          label: 'That fixed it',
          value: input.answerId,
          style: 'primary',
        },
        { type: 'button', actionId: 'answer.more-help', label: 'I still need help', value: input.answerId },
      ],
    },
  };
}

/** What the requester decided on an answer card. */
export type AnswerOutcome = { kind: 'fixed' } | { kind: 'ticket'; ticketNumber: number };

/**
 * The answer card once the requester decided: the outcome as its title, the answer and its
 * sources as they were posted, and no buttons (the decision is made).
 */
export function decidedAnswerCard(posted: Card, outcome: AnswerOutcome): OutMessage {
  const title =
    outcome.kind === 'fixed' ? '✅ Glad that fixed it' : `🎫 Filed ticket #${outcome.ticketNumber} for you`;
  return {
    text: [title, posted.body, posted.context].filter(Boolean).join('\n\n'),
    card: { ...posted, title, actions: [] },
  };
}

export interface ApprovalCardView {
  ticketId: number;
  number: number;
  title: string;
  description: string;
  category: string;
  priority: Priority;
  requesterName: string;
  formFields?: CardField[] | undefined;
  /** Mentions of the approvers, when the card is posted where others read it too (a triage thread). */
  approvers?: string | undefined;
  /** Once decided: the card shows the decision instead of its buttons. */
  decision?:
    | { kind: 'approved' | 'denied'; by: string; at: Date; reason?: string | null | undefined }
    | undefined;
}

/** What an approver sees of a request waiting for them: Approve and Deny, then the decision. */
export function approvalCard(view: ApprovalCardView): OutMessage {
  const ref = String(view.ticketId);
  const decided = view.decision;
  const title = !decided
    ? `Approval needed: #${view.number} · ${view.title}`
    : decided.kind === 'approved'
      ? `✅ #${view.number} approved by ${decided.by}`
      : `⛔ #${view.number} denied by ${decided.by}`;
  const fields: CardField[] = [
    { label: 'Requester', value: view.requesterName },
    { label: 'Category', value: view.category },
    { label: 'Priority', value: view.priority },
    ...(view.formFields ?? []),
  ];
  if (decided?.reason) fields.push({ label: 'Reason', value: decided.reason });
  const context = decided
    ? `Decided ${formatDue(decided.at)}.`
    : view.approvers
      ? `For ${view.approvers}: the first decision counts. Deny asks for a reason the requester sees.`
      : 'The first decision counts. Deny asks for a reason the requester sees.';
  const actions: CardAction[] = decided
    ? []
    : [
        { type: 'button', actionId: 'approval.approve', label: 'Approve', value: ref, style: 'primary' },
        { type: 'button', actionId: 'approval.deny', label: 'Deny', value: ref, style: 'danger' },
      ];
  return {
    text: decided
      ? `${title}${decided.reason ? `: ${decided.reason}` : ''}`
      : `${title} (${view.category}, requested by ${view.requesterName})${view.approvers ? ` — ${view.approvers}` : ''}`,
    card: {
      kind: 'approval',
      title,
      accent: !decided ? 'warning' : decided.kind === 'approved' ? 'good' : 'danger',
      fields,
      body: truncate(view.description, 900),
      context,
      actions,
    },
  };
}

import { type Messages, messagesFor } from '../i18n/i18n.ts';
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

const ACCENT: Record<Priority, Card['accent']> = { P1: 'danger', P2: 'warning', P3: 'info', P4: 'info' };

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function formatDue(at: Date | null): string | undefined {
  return at ? at.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : undefined;
}

const ENGLISH = messagesFor('en');

/**
 * The ticket card every platform renders in the triage channel, in the team's language (`m`); its
 * buttons depend on the status.
 */
export function ticketCard(view: TicketCardView, m: Messages = ENGLISH): OutMessage {
  const ref = String(view.id);
  const open = view.status === 'new' || view.status === 'open' || view.status === 'pending';
  const actions: CardAction[] = [];
  if (open) {
    if (!view.assigneeName)
      actions.push({
        type: 'button',
        actionId: 'ticket.claim',
        label: m.cardClaim,
        value: ref,
        style: 'primary',
      });
    actions.push(
      { type: 'user-select', actionId: 'ticket.assign', placeholder: m.cardAssignTo, value: ref },
      {
        type: 'select',
        actionId: 'ticket.priority',
        placeholder: m.cardPriority,
        options: PRIORITIES.map((p) => ({ label: p, value: `${ref}:${p}` })),
        selected: `${ref}:${view.priority}`,
      },
      { type: 'button', actionId: 'ticket.note', label: m.cardNote, value: ref },
      { type: 'button', actionId: 'ticket.resolve', label: m.cardResolve, value: ref, style: 'primary' },
      { type: 'button', actionId: 'ticket.close', label: m.cardClose, value: ref, style: 'danger' },
    );
  } else if (view.status === 'resolved') {
    actions.push(
      { type: 'button', actionId: 'ticket.reopen', label: m.cardReopen, value: ref },
      { type: 'button', actionId: 'ticket.close', label: m.cardClose, value: ref },
    );
  }
  const fields = [
    { label: m.fieldStatus, value: m.status[view.status] },
    { label: m.fieldPriority, value: view.priority },
    { label: m.fieldCategory, value: view.category },
    { label: m.fieldRequester, value: view.requesterName },
    { label: m.fieldAssignee, value: view.assigneeName ?? m.unassigned },
  ];
  fields.push(...(view.formFields ?? []));
  const due = open ? formatDue(view.resolutionDueAt) : undefined;
  if (due) fields.push({ label: m.fieldResolveBy, value: due });
  if (view.breached) fields.push({ label: m.fieldSla, value: m.slaBreached });
  if (view.escalationLevel > 0)
    fields.push({ label: m.fieldEscalation, value: m.escalationLevel(view.escalationLevel) });
  // A reopened ticket keeps its last resolution in the row, but it no longer resolves anything.
  const body =
    view.resolution && !open
      ? `${truncate(view.description, 600)}\n\n${m.resolutionLabel}: ${truncate(view.resolution, 400)}`
      : truncate(view.description, 900);
  const files = view.files?.length ? view.files : undefined;
  const attached = files ? ` · ${m.cardFiles(files.length)}` : '';
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
        ? m.cardContext
        : view.status === 'awaiting_approval'
          ? m.cardAwaitingApproval
          : undefined,
      actions,
    },
  };
}

/**
 * Asked after resolution: one answer per ticket, later clicks change it. Once rated, the card
 * thanks the requester and keeps the scale with their choice marked, so they can still change it.
 */
export function csatCard(
  ticketId: number,
  ticketNumber: number,
  rated?: number,
  m: Messages = ENGLISH,
): OutMessage {
  const title = rated ? m.csatRated(ticketNumber, rated) : m.csatAsk(ticketNumber);
  const body = rated ? m.csatRatedBody : m.csatAskBody;
  return {
    text: rated ? `${title}. ${body}` : m.csatAskText(ticketNumber),
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
  /** The asker's language. */
  m?: Messages | undefined;
}): OutMessage {
  const m = input.m ?? ENGLISH;
  const sources = input.articles
    .map((a) => (a.url ? `${a.title} (${a.url})` : `${a.title} [kb:${a.id}]`))
    .join('; ');
  return {
    text: `${input.answer}\n\n${m.answerSources}: ${sources}`,
    card: {
      kind: 'answer',
      title: m.answerTitle,
      body: input.answer,
      context: `${m.answerSources}: ${sources}`,
      actions: [
        {
          type: 'button',
          actionId: 'answer.fixed',
          label: m.answerFixedButton,
          value: input.answerId,
          style: 'primary',
        },
        {
          type: 'button',
          actionId: 'answer.more-help',
          label: m.answerMoreHelpButton,
          value: input.answerId,
        },
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
export function decidedAnswerCard(posted: Card, outcome: AnswerOutcome, m: Messages = ENGLISH): OutMessage {
  const title = outcome.kind === 'fixed' ? m.answerFixedTitle : m.answerFiledTitle(outcome.ticketNumber);
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

/**
 * The JSM mirror, inbound: what JSM's webhook (an automation rule's "Send web request" with the
 * issue data, or a Jira webhook) reports. A public comment reaches the requester in chat like an
 * agent's reply; a status change maps back through JSM_STATUSES. Both are marked `source: 'jsm'` so
 * the outbound hook does not send them back.
 */
import type { CoreDeps } from '../deps.ts';
import { changeTicket, type Decision, moveTo, type SystemActor } from '../tickets/ticket.change.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import type { TicketStatus } from '../tickets/ticket.ts';
import { unitOfWork } from '../unit-of-work.ts';

export type JsmWebhookOutcome =
  | 'relayed'
  | 'status_changed'
  | 'ignored'
  | 'duplicate'
  | 'echo'
  | 'unknown_request'
  | 'refused';

interface JsmComment {
  id?: string | number;
  body?: string;
  jsdPublic?: boolean;
  public?: boolean;
  author?: { displayName?: string; emailAddress?: string };
}

interface JsmWebhookBody {
  webhookEvent?: string;
  issueKey?: string;
  issue?: { key?: string; fields?: { status?: { name?: string } } };
  comment?: JsmComment;
  changelog?: { items?: Array<{ field?: string; toString?: string | null }> };
  status?: string;
}

const asBody = (raw: unknown): JsmWebhookBody =>
  raw && typeof raw === 'object' ? (raw as JsmWebhookBody) : {};

function jsmActor(name: string): SystemActor {
  return { id: null, displayName: `${name} (JSM)`, system: true };
}

/** Handles one verified webhook call; the route has checked the shared secret. */
export async function handleJsmWebhook(deps: CoreDeps, raw: unknown): Promise<JsmWebhookOutcome> {
  const settings = deps.config.jsm;
  if (!settings) return 'ignored';
  const body = asBody(raw);
  const key = body.issue?.key ?? body.issueKey;
  if (!key) return 'ignored';
  return unitOfWork(deps, async (tx) => {
    const link = await tx
      .selectFrom('jsm_links')
      .select('ticket_id')
      .where('jsm_key', '=', key)
      .executeTakeFirst();
    if (!link) return 'unknown_request';
    const comment = body.comment;
    if (comment?.body !== undefined && comment.id !== undefined && body.webhookEvent !== 'comment_deleted') {
      if ((comment.jsdPublic ?? comment.public ?? true) === false) return 'ignored';
      const id = String(comment.id);
      const seen = await tx
        .selectFrom('jsm_comments')
        .select('direction')
        .where('jsm_comment_id', '=', id)
        .executeTakeFirst();
      if (seen) return seen.direction === 'out' ? 'echo' : 'duplicate';
      if (comment.author?.emailAddress?.toLowerCase() === settings.email.toLowerCase()) return 'echo';
      await tx
        .insertInto('jsm_comments')
        .values({ jsm_comment_id: id, ticket_id: link.ticket_id, direction: 'in' })
        .execute();
      const text = comment.body.trim();
      if (!text) return 'ignored';
      const name = comment.author?.displayName ?? 'An agent';
      const changed = await changeTicket(deps, tx, jsmActor(name), link.ticket_id, 'agent', (t, now) => {
        if (t.status === 'closed') return { refuse: { code: 'closed', number: t.number } };
        const status = t.status === 'new' ? 'open' : t.status;
        return {
          type: 'reply',
          patch: { first_response_at: t.first_response_at ?? now, status },
          body: text,
          after: { source: 'jsm', key, commentId: id },
          toRequester: `💬 ${name} (IT) on #${t.number}: ${text}`,
          toTriage: `💬 ${name} replied in JSM (${key}): ${text}`,
        };
      });
      return changed.ok ? 'relayed' : 'refused';
    }
    const statusName =
      body.changelog?.items?.find((item) => item.field === 'status')?.toString ??
      body.status ??
      (body.webhookEvent === 'jira:issue_updated' ? undefined : body.issue?.fields?.status?.name);
    if (!statusName) return 'ignored';
    const to = settings.statuses[statusName.toLowerCase()] as TicketStatus | undefined;
    if (!to) return 'ignored';
    const changed = await changeTicket(
      deps,
      tx,
      jsmActor('Jira Service Management'),
      link.ticket_id,
      'agent',
      (t, now) => statusDecision(t, to, now, key),
    );
    if (!changed.ok) return changed.refusal.code === 'transition' ? 'ignored' : 'refused';
    return 'status_changed';
  });
}

function statusDecision(t: TicketRow, to: TicketStatus, now: Date, key: string): Decision {
  if (t.status === to) return { refuse: { code: 'transition', number: t.number, reason: 'unchanged' } };
  const refused = moveTo(t, to);
  if (refused) return refused;
  const after = { source: 'jsm', key };
  switch (to) {
    case 'resolved':
      return {
        type: 'resolved',
        patch: { status: 'resolved', resolved_at: now, resolution: `Resolved in JSM (${key}).` },
        body: `Resolved in JSM (${key}).`,
        after,
        toRequester: `✅ Ticket #${t.number} was resolved by IT. If it is not fixed, just reply here and it reopens.`,
        toTriage: `✅ #${t.number} was resolved in JSM (${key}).`,
      };
    case 'closed':
      return {
        type: 'closed',
        patch: { status: 'closed', closed_at: now },
        after,
        toRequester: `Ticket #${t.number} is closed.`,
        toTriage: `#${t.number} was closed in JSM (${key}).`,
      };
    case 'pending':
      return {
        type: 'pending',
        patch: { status: 'pending', first_response_at: t.first_response_at ?? now },
        after,
        toTriage: `⏸️ #${t.number} is waiting on the requester (set in JSM, ${key}).`,
      };
    default:
      return {
        type: t.status === 'resolved' || t.status === 'closed' ? 'reopened' : 'status_changed',
        patch: { status: to, resolved_at: null },
        after,
        toTriage: `#${t.number} is ${to} again (set in JSM, ${key}).`,
      };
  }
}

/**
 * A ticket's timeline as people read it (`show #N`): one sentence per entry, "bob claimed it",
 * "bob changed the priority P3 → P1", never the stored JSON. The card beside it already shows
 * the description, so filing does not repeat it.
 */

import { byText } from '../assignment/assigned-by.ts';
import type { DbOrTx } from '../db.ts';
import { formatDuration } from '../timers/duration.ts';
import { timelineOf } from './ticket.repository.ts';

type Entry = Awaited<ReturnType<typeof timelineOf>>[number];

const TARGET: Record<string, string> = { first_response: 'first response', resolution: 'resolution' };

function at(value: unknown): string {
  const date = typeof value === 'string' || value instanceof Date ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime())
    ? `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`
    : 'its due time';
}

/** " P3 → P1" when the entry moved the priority, else nothing. */
function priorityMove(entry: Entry): string {
  const from = entry.before?.priority;
  const to = entry.after?.priority;
  return typeof from === 'string' && typeof to === 'string' && from !== to ? ` ${from} → ${to}` : '';
}

function sentence(entry: Entry, nameOf: (id: unknown) => string): string {
  const who = entry.actor ?? 'helpdesk';
  const said = entry.body ? `: ${entry.body}` : '';
  const after = entry.after ?? {};
  const auto = after.auto === true ? ' automatically' : '';
  switch (entry.type) {
    case 'created':
      return `${who} filed it`;
    case 'claimed':
      return `${who} claimed it`;
    case 'assigned':
      // An automatic assignment says how it chose: "assigned to bob by round-robin".
      return after.by
        ? `assigned to ${nameOf(after.assignee_id)} ${byText(after)}`
        : `${who} assigned it to ${nameOf(after.assignee_id)}`;
    case 'time_logged':
      return `${who} logged ${formatDuration(Number(after.minutes) * 60_000)}${said}`;
    case 'priority_changed':
      return `${who} changed the priority${priorityMove(entry)}`;
    case 'note':
      return `${who} noted${said}`;
    case 'reply':
      return `${who} replied${said}`;
    case 'requester_reply':
      return `${who} wrote${said}${after.reopened ? ' (it is open again)' : ''}`;
    case 'pending':
      return entry.body ? `${who} asked the requester${said}` : `${who} is waiting on the requester`;
    case 'resolved':
      // An automatic resolution's text is the canned reason the word "automatically" already gives.
      return `${who} resolved it${auto}${auto ? ' (no reply from the requester)' : said}`;
    case 'reopened':
      return `${who} reopened it`;
    case 'closed':
      return `${who} closed it${auto}`;
    case 'csat':
      return `${who} rated it ${String(after.csat)}/5`;
    case 'nudged':
      return `${who} reminded the requester`;
    case 'sla_warning':
      return `SLA warning: ${TARGET[String(after.target)] ?? 'a target'} due ${at(after.dueAt)}`;
    case 'sla_breached':
      return `SLA breached: no ${TARGET[String(after.target)] ?? 'answer'} by ${at(after.dueAt)}`;
    case 'escalated': {
      const moved = priorityMove(entry);
      return `${who} escalated it to level ${String(after.escalation_level)}${moved ? ` (priority${moved})` : ''}`;
    }
    case 'paged':
      return `${who} paged the on-call`;
    case 'escalation_stopped':
      return `${who} stopped the escalation`;
    case 'approval_requested':
      return `approval requested from ${Array.isArray(after.approvers) && after.approvers.length ? after.approvers.join(', ') : 'the admins'}`;
    case 'approved':
      return `${who} approved it`;
    case 'denied':
      return `${who} denied it${said}`;
    case 'approval_reminded':
      return 'the approvers were reminded';
    case 'field_set':
      return `${who} gave the ${String(after.field)}: ${String(after.value)}`;
    case 'field_skipped':
      return `${who} skipped the ${String(after.field)}`;
    case 'delivery_failed':
      return entry.body ?? 'a message could not be delivered';
    default:
      return `${who} ${entry.type.replace(/_/g, ' ')}${said}`;
  }
}

/** The timeline lines of a ticket, oldest first; `includeInternal` for agents. */
export async function timelineLines(
  db: DbOrTx,
  ticketId: number,
  includeInternal: boolean,
): Promise<string[]> {
  const entries = await timelineOf(db, ticketId, includeInternal);
  const ids = entries.map((e) => e.after?.assignee_id).filter((id): id is number => typeof id === 'number');
  const people = ids.length
    ? await db.selectFrom('people').select(['id', 'display_name']).where('id', 'in', ids).execute()
    : [];
  const nameOf = (id: unknown) => people.find((p) => p.id === id)?.display_name ?? 'someone';
  return entries.map((entry) => {
    const stamp = entry.created_at.toISOString().replace('T', ' ').slice(0, 19);
    return `${stamp}  ${sentence(entry, nameOf)}${entry.visibility === 'internal' ? ' (internal)' : ''}`;
  });
}

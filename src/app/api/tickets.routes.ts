/** The `/api/v1/tickets` routes: each one a core query or a chat use case run by the key's actor. */
import type { z } from 'zod';
import {
  type ApiOutcome,
  type ApiRefusal,
  changeTicketFields,
  commentOn,
  fileTicketFor,
} from '../../core/api/ticket.api.ts';
import {
  searchTickets,
  type TicketCursor,
  type TicketView,
  type TimelineEntry as TimelineView,
  ticketByNumber,
  ticketTimeline,
} from '../../core/api/ticket.query.ts';
import type { Tx } from '../../core/db.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { refusalText } from '../../core/tickets/refusal.ts';
import { unitOfWork } from '../../core/unit-of-work.ts';
import type { Answer, ApiRoute, ProblemAnswer } from './route.ts';
import {
  ListQuery,
  NewComment,
  NewTicket,
  Ticket,
  TicketChange,
  TicketDetail,
  TicketNumber,
  TicketPage,
  type TimelineEntry,
} from './schemas.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function ticketJson(view: TicketView): z.infer<typeof Ticket> {
  return {
    number: view.number,
    title: view.title,
    description: view.description,
    status: view.status,
    priority: view.priority,
    category: view.category,
    requester: view.requester,
    assignee: view.assignee,
    resolution: view.resolution,
    csat: view.csat,
    escalation_level: view.escalationLevel,
    first_response_due_at: iso(view.firstResponseDueAt),
    resolution_due_at: iso(view.resolutionDueAt),
    first_response_at: iso(view.firstResponseAt),
    resolved_at: iso(view.resolvedAt),
    closed_at: iso(view.closedAt),
    created_at: view.createdAt.toISOString(),
    updated_at: view.updatedAt.toISOString(),
  };
}

function entryJson(entry: TimelineView): z.infer<typeof TimelineEntry> {
  return { ...entry, at: entry.at.toISOString() };
}

/** The cursor is opaque to clients: where the last page ended, base64url-encoded. */
export function encodeCursor(cursor: TicketCursor): string {
  return Buffer.from(JSON.stringify([cursor.updatedAt.toISOString(), cursor.id])).toString('base64url');
}

function decodeCursor(text: string): TicketCursor | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [unknown, unknown];
    const updatedAt = new Date(String(at));
    if (typeof at !== 'string' || Number.isNaN(updatedAt.getTime())) return undefined;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined;
    return { updatedAt, id };
  } catch {
    return undefined;
  }
}

const REFUSAL_STATUS: Partial<Record<ApiRefusal['code'], number>> = {
  no_such_ticket: 404,
  agents_only: 403,
  not_yours: 403,
  unknown_person: 422,
};

function refused(refusal: ApiRefusal): ProblemAnswer {
  const status = REFUSAL_STATUS[refusal.code] ?? 409;
  return {
    problem: {
      status,
      kind: status === 404 ? 'not-found' : 'refused',
      code: refusal.code,
      detail:
        refusal.code === 'unknown_person'
          ? `Nobody with the e-mail ${refusal.email} is known to the helpdesk.`
          : refusalText(refusal),
    },
  };
}

/** Thrown inside a unit of work to roll back a request whose later step was refused. */
class Refused extends Error {
  constructor(readonly refusal: ApiRefusal) {
    super(refusal.code);
  }
}

/** Runs a write in one transaction; a refusal rolls all of it back and becomes the answer. */
async function write(
  deps: CoreDeps,
  work: (tx: Tx) => Promise<ApiOutcome>,
): Promise<{ ok: true; number: number } | ProblemAnswer> {
  try {
    return await unitOfWork(deps, async (tx) => {
      const outcome = await work(tx);
      if (!outcome.ok) throw new Refused(outcome.refusal);
      return outcome;
    });
  } catch (error) {
    if (error instanceof Refused) return refused(error.refusal);
    throw error;
  }
}

async function detail(deps: CoreDeps, number: number, scopes: readonly string[]): Promise<Answer> {
  const view = await ticketByNumber(deps.db, number);
  if (!view) return refused({ code: 'no_such_ticket' });
  const timeline = await ticketTimeline(deps.db, view.id, scopes.includes('tickets:internal'));
  return { status: 200, body: { ticket: ticketJson(view), timeline: timeline.map(entryJson) } };
}

export const ticketRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/tickets',
    operationId: 'listTickets',
    summary: 'List and search tickets, most recently changed first, a page at a time',
    scope: 'tickets:read',
    query: ListQuery,
    ok: { status: 200, description: 'A page of tickets', schema: TicketPage },
    async handle({ deps, query }) {
      const q = query as z.infer<typeof ListQuery>;
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      if (q.cursor !== undefined && !after)
        return {
          problem: {
            status: 400,
            kind: 'invalid-request',
            detail: 'cursor: not a cursor this API gave out',
            errors: [{ field: 'query.cursor', message: 'not a cursor this API gave out' }],
          },
        };
      const page = await searchTickets(
        deps.db,
        {
          status: q.status,
          priority: q.priority,
          category: q.category,
          assignee: q.assignee,
          requester: q.requester,
          updatedSince: q.updated_since === undefined ? undefined : new Date(q.updated_since),
          q: q.q,
        },
        { limit: q.limit, after },
      );
      return {
        status: 200,
        body: {
          tickets: page.tickets.map(ticketJson),
          next_cursor: page.next ? encodeCursor(page.next) : null,
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/tickets',
    operationId: 'createTicket',
    summary:
      'File a ticket for a person named by e-mail (created if unknown); they are told in chat when the helpdesk knows where',
    scope: 'tickets:write',
    body: NewTicket,
    ok: { status: 201, description: 'The ticket filed', schema: Ticket },
    async handle({ deps, actor, body }) {
      const input = body as z.infer<typeof NewTicket>;
      const done = await write(deps, (tx) =>
        fileTicketFor(deps, tx, actor, {
          requesterEmail: input.requester_email,
          requesterName: input.requester_name,
          title: input.title,
          description: input.description,
          priority: input.priority,
          category: input.category,
        }),
      );
      if (!('number' in done)) return done;
      const view = await ticketByNumber(deps.db, done.number);
      if (!view) return refused({ code: 'no_such_ticket' });
      return {
        status: 201,
        body: ticketJson(view),
        headers: { location: `/api/v1/tickets/${view.number}` },
      };
    },
  },
  {
    method: 'GET',
    path: '/tickets/{number}',
    operationId: 'getTicket',
    summary: 'One ticket with its timeline (internal entries need the tickets:internal scope)',
    scope: 'tickets:read',
    params: TicketNumber,
    ok: { status: 200, description: 'The ticket and its timeline', schema: TicketDetail },
    async handle({ deps, params, scopes }) {
      return detail(deps, (params as z.infer<typeof TicketNumber>).number, scopes);
    },
  },
  {
    method: 'PATCH',
    path: '/tickets/{number}',
    operationId: 'updateTicket',
    summary:
      'Change status, priority and/or assignee, as an agent would in chat; all or nothing, and a field already at the asked value is left alone',
    scope: 'tickets:write',
    params: TicketNumber,
    body: TicketChange,
    ok: { status: 200, description: 'The ticket after the change', schema: Ticket },
    async handle({ deps, actor, params, body }) {
      const { number } = params as z.infer<typeof TicketNumber>;
      const change = body as z.infer<typeof TicketChange>;
      const done = await write(deps, (tx) =>
        changeTicketFields(deps, tx, actor, number, {
          status: change.status,
          note: change.note,
          priority: change.priority,
          assigneeEmail: change.assignee_email,
        }),
      );
      if (!('number' in done)) return done;
      const view = await ticketByNumber(deps.db, number);
      return view ? { status: 200, body: ticketJson(view) } : refused({ code: 'no_such_ticket' });
    },
  },
  {
    method: 'POST',
    path: '/tickets/{number}/comments',
    operationId: 'addComment',
    summary:
      'Comment on a ticket: public goes to the requester in chat like an agent reply, internal is a note for agents',
    scope: 'tickets:write',
    params: TicketNumber,
    body: NewComment,
    ok: { status: 201, description: 'The ticket and its timeline, with the comment', schema: TicketDetail },
    async handle({ deps, actor, params, body, scopes }) {
      const { number } = params as z.infer<typeof TicketNumber>;
      const comment = body as z.infer<typeof NewComment>;
      const done = await write(deps, (tx) => commentOn(deps, tx, actor, number, comment));
      if (!('number' in done)) return done;
      const answer = await detail(deps, number, scopes);
      return 'problem' in answer ? answer : { ...answer, status: 201 };
    },
  },
];

/**
 * The REST API's shapes, in zod: requests are parsed with them and the OpenAPI document is
 * generated from them (`z.toJSONSchema`), so the document cannot drift from what the code accepts.
 */
import { z } from 'zod';
import { CATEGORIES, PRIORITIES, STATUSES } from '../../core/tickets/ticket.ts';

/** Schemas that name a request body (input) or a response (output), by their OpenAPI component name. */
export const inputs = z.registry<{ id: string; description?: string }>();
export const outputs = z.registry<{ id: string; description?: string }>();

/** `a,b` → `['a','b']`, each checked against `values`; documented as the comma-separated string it is. */
const commaList = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1))
    .optional()
    .meta({ description: `${what}, one or more comma-separated of: ${values.join(', ')}` });

export const ListQuery = z.strictObject({
  status: commaList(STATUSES, 'Status'),
  priority: commaList(PRIORITIES, 'Priority'),
  category: commaList(CATEGORIES, 'Category'),
  assignee: z.email().optional().meta({ description: "The assignee's e-mail" }),
  requester: z.email().optional().meta({ description: "The requester's e-mail" }),
  updated_since: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'Only tickets changed at or after this time (RFC 3339)' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Full text over title and description (web search syntax: "quoted", -not, or)' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(25)
    .meta({ description: 'Tickets per page, 1 to 100' }),
  cursor: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "The previous page's `next_cursor`, to get the page after it" }),
});

export const TicketNumber = z.strictObject({
  number: z.coerce.number().int().min(1).meta({ description: 'The ticket number (#12 is 12)' }),
});

export const NewTicket = z
  .strictObject({
    requester_email: z
      .email()
      .meta({ description: 'Who the ticket is for; a person unknown yet is created' }),
    requester_name: z.string().trim().min(1).max(200).optional().meta({
      description: 'Display name for a person created now (ignored for a known person)',
    }),
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().min(1).max(20_000),
    priority: z.enum(PRIORITIES).optional().meta({ description: 'P3 unless given' }),
    category: z.enum(CATEGORIES).optional().meta({ description: 'other unless given' }),
  })
  .register(inputs, { id: 'NewTicket', description: 'A ticket filed for a person named by e-mail' });

export const TicketChange = z
  .strictObject({
    status: z
      .enum(
        // A ticket is filed new or awaiting approval; an approver, not the API, decides a request.
        STATUSES.filter((s) => s !== 'new' && s !== 'awaiting_approval') as [
          'open',
          'pending',
          'resolved',
          'closed',
        ],
      )
      .optional()
      .meta({
        description:
          'pending asks the requester (note = the question); resolved resolves (note = the resolution); open reopens a resolved ticket; closed closes',
      }),
    note: z.string().trim().max(20_000).optional(),
    priority: z.enum(PRIORITIES).optional(),
    assignee_email: z.email().optional().meta({ description: 'E-mail of the agent to assign' }),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    message: 'give at least one of status, priority, assignee_email',
  })
  .register(inputs, {
    id: 'TicketChange',
    description: 'Fields to change; all or none of them change',
  });

export const NewComment = z
  .strictObject({
    body: z.string().trim().min(1).max(20_000),
    visibility: z.enum(['public', 'internal']).default('public').meta({
      description:
        'public is relayed to the requester in chat as an agent reply; internal is a note for agents',
    }),
  })
  .register(inputs, { id: 'NewComment' });

const timestamp = z.iso.datetime();

export const Person = z
  .object({ name: z.string(), email: z.email().nullable() })
  .register(outputs, { id: 'Person' });

export const Ticket = z
  .object({
    number: z.number().int(),
    title: z.string(),
    description: z.string(),
    status: z.enum(STATUSES),
    priority: z.enum(PRIORITIES),
    category: z.string(),
    requester: Person,
    assignee: Person.nullable(),
    resolution: z.string().nullable(),
    csat: z.number().int().min(1).max(5).nullable(),
    escalation_level: z.number().int(),
    first_response_due_at: timestamp.nullable(),
    resolution_due_at: timestamp.nullable(),
    first_response_at: timestamp.nullable(),
    resolved_at: timestamp.nullable(),
    closed_at: timestamp.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .register(outputs, { id: 'Ticket' });

export const TimelineEntry = z
  .object({
    type: z.string().meta({ description: 'created, claimed, reply, note, requester_reply, resolved, …' }),
    visibility: z.enum(['public', 'internal']),
    actor: z.string().nullable().meta({ description: 'Who did it; null for the helpdesk itself' }),
    body: z.string().nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    at: timestamp,
  })
  .register(outputs, { id: 'TimelineEntry' });

export const TicketDetail = z.object({ ticket: Ticket, timeline: z.array(TimelineEntry) }).register(outputs, {
  id: 'TicketDetail',
  description: 'A ticket and its timeline; internal entries only for keys with the tickets:internal scope',
});

export const TicketPage = z
  .object({
    tickets: z.array(Ticket),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .register(outputs, { id: 'TicketPage', description: 'Tickets, most recently changed first' });

export const Problem = z
  .object({
    type: z.string().meta({ description: 'A URI naming the kind of problem' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().meta({ description: 'The request path' }),
    code: z.string().optional().meta({ description: 'The refusal code, when a use case refused' }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Each invalid field, for 400' }),
  })
  .register(outputs, { id: 'Problem', description: 'RFC 9457 problem details' });

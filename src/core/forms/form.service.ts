/**
 * Request forms: the fields a category asks for, the values a ticket was filed with, and the
 * follow-up questions that fill in a required field a request from a direct chat left out.
 */
import { sql } from 'kysely';
import type { CardField, ConversationRef, Dialog } from '../chat/chat.ts';
import type { DbOrTx, Tx } from '../db.ts';
import { requesterMessages } from '../i18n/choose.ts';
import type { Messages } from '../i18n/i18n.ts';
import { queueMessage } from '../outbox/outbox.ts';
import type { TicketRow } from '../tickets/ticket.table.ts';
import type { FieldKind, FormFieldRow, TicketFieldRow } from './form.table.ts';

/** A category's fields, in the order they were added. */
export async function formFieldsOf(db: DbOrTx, category: string): Promise<FormFieldRow[]> {
  return db
    .selectFrom('form_fields')
    .selectAll()
    .where('category', '=', category)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export type FieldOutcome = { ok: true; field: FormFieldRow } | { ok: false; reason: string };

/** Adds a field to a category's form, or redefines the field of that name. */
export async function saveField(
  tx: Tx,
  input: { category: string; name: string; kind: FieldKind; required: boolean; options: string[] },
): Promise<FieldOutcome> {
  const name = input.name.trim();
  if (!name)
    return { ok: false, reason: 'The field needs a name, e.g. `form access add "System" required`.' };
  if (name.length > 60) return { ok: false, reason: 'Field names are at most 60 characters.' };
  if (input.kind === 'choice' && input.options.length < 2)
    return { ok: false, reason: 'A choice needs at least two options, e.g. `choice read,write,admin`.' };
  const existing = await tx
    .selectFrom('form_fields')
    .select('id')
    .where('category', '=', input.category)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  const values = { name, kind: input.kind, required: input.required, options: input.options };
  if (existing) {
    const field = await tx
      .updateTable('form_fields')
      .set(values)
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ok: true, field };
  }
  const last = await tx
    .selectFrom('form_fields')
    .select(sql<number>`coalesce(max(position), 0)`.as('position'))
    .where('category', '=', input.category)
    .executeTakeFirst();
  const field = await tx
    .insertInto('form_fields')
    .values({ category: input.category, position: (last?.position ?? 0) + 1, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, field };
}

/** Removes a field by name; false when the category has no such field. */
export async function removeField(tx: Tx, category: string, name: string): Promise<boolean> {
  const removed = await tx
    .deleteFrom('form_fields')
    .where('category', '=', category)
    .where(sql<string>`lower(name)`, '=', name.trim().toLowerCase())
    .executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

/** How a field reads in `form access`: `System (required)`, `Access level: read, write, admin`. */
export function describeField(field: FormFieldRow): string {
  const choice = field.kind === 'choice' ? `: one of ${field.options.join(', ')}` : '';
  return `${field.name}${choice}${field.required ? ' (required)' : ' (optional)'}`;
}

/** The dialog input id of a field: stable, and free of the spaces a name may have. */
const fieldInputId = (field: Pick<FormFieldRow, 'id'>) => `field_${field.id}`;

/** The `new <category>` form: what is wrong, then the category's fields. */
export function requestDialog(category: string, fields: readonly FormFieldRow[]): Dialog {
  return {
    callbackId: 'ticket.new.submit',
    title: `New ${category} request`,
    submitLabel: 'File request',
    privateValue: category,
    inputs: [
      { id: 'title', label: 'Title', optional: true },
      { id: 'description', label: 'What do you need?', multiline: true },
      ...fields.map((field) => ({
        id: fieldInputId(field),
        label: field.name,
        optional: !field.required,
        ...(field.kind === 'choice'
          ? { options: field.options.map((option) => ({ label: option, value: option })) }
          : {}),
      })),
    ],
  };
}

/** The values a form submission carries for a category's fields, by field name. */
export function valuesFromInputs(
  fields: readonly FormFieldRow[],
  inputs: Record<string, string>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = inputs[fieldInputId(field)]?.trim();
    if (value) values[field.name] = value;
  }
  return values;
}

/** Stores a new ticket's field values (only the category's fields; a choice only among its options). */
export async function storeTicketFields(
  tx: Tx,
  ticket: TicketRow,
  values: Record<string, string>,
  now: Date,
): Promise<void> {
  for (const field of await formFieldsOf(tx, ticket.category)) {
    const given = Object.entries(values).find(([name]) => name.toLowerCase() === field.name.toLowerCase());
    const value = given ? normalised(field, given[1]) : undefined;
    if (value === undefined) continue;
    await tx
      .insertInto('ticket_fields')
      .values({ ticket_id: ticket.id, name: field.name, value, asked_at: null, updated_at: now })
      .execute();
  }
}

/** The value as stored: trimmed, a choice spelled as its option; undefined when it is no answer. */
function normalised(field: FormFieldRow, raw: string): string | undefined {
  const value = raw.trim().slice(0, 500);
  if (!value) return undefined;
  if (field.kind !== 'choice') return value;
  return field.options.find((option) => option.toLowerCase() === value.toLowerCase());
}

/** A ticket's answered fields, as card fields in the form's order (a removed field's value last). */
export async function ticketFieldsOf(db: DbOrTx, ticket: Pick<TicketRow, 'id' | 'category'>) {
  const rows = await db
    .selectFrom('ticket_fields')
    .leftJoin('form_fields', (join) =>
      join
        .on('form_fields.category', '=', ticket.category)
        .on(sql<string>`lower(form_fields.name)`, '=', sql<string>`lower(ticket_fields.name)`),
    )
    .select(['ticket_fields.name', 'ticket_fields.value'])
    .where('ticket_fields.ticket_id', '=', ticket.id)
    .where('ticket_fields.value', 'is not', null)
    .orderBy(sql`coalesce(form_fields.position, 2147483647)`)
    .orderBy('ticket_fields.id')
    .execute();
  return rows.map((row): CardField => ({ label: row.name, value: row.value ?? '' }));
}

/** The follow-up question the requester has not answered yet, if any. */
export async function openQuestion(db: DbOrTx, ticketId: number): Promise<TicketFieldRow | undefined> {
  return db
    .selectFrom('ticket_fields')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('value', 'is', null)
    .where('skipped', '=', false)
    .where('asked_at', 'is not', null)
    .orderBy('id')
    .executeTakeFirst();
}

/** The question for a missing field, with its options and the way to skip it. */
export function questionText(ticketNumber: number, field: FormFieldRow, m: Messages): string {
  return m.formQuestion(ticketNumber, field.name, field.kind === 'choice' ? field.options : null);
}

/**
 * Asks the requester for the next required field the ticket has no value for, in `target`; false
 * when none is missing. The question is a row, so the next answer knows what it answers.
 */
export async function askNextField(
  tx: Tx,
  ticket: TicketRow,
  target: ConversationRef,
  now: Date,
): Promise<boolean> {
  const known = await tx
    .selectFrom('ticket_fields')
    .select('name')
    .where('ticket_id', '=', ticket.id)
    .execute();
  const seen = new Set(known.map((row) => row.name.toLowerCase()));
  const next = (await formFieldsOf(tx, ticket.category)).find(
    (field) => field.required && !seen.has(field.name.toLowerCase()),
  );
  if (!next) return false;
  const row = await tx
    .insertInto('ticket_fields')
    .values({ ticket_id: ticket.id, name: next.name, value: null, asked_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await queueMessage(tx, {
    key: `ticket-${ticket.id}-ask-${row.id}`,
    op: 'post',
    target,
    message: { text: questionText(ticket.number, next, await requesterMessages(tx, ticket)) },
    ticketId: ticket.id,
  });
  return true;
}

type AnswerOutcome =
  | { kind: 'stored'; name: string; value: string }
  | { kind: 'skipped'; name: string }
  | { kind: 'invalid'; field: FormFieldRow };

/** Takes a reply as the answer to the open question `question`: stored, skipped, or not an option. */
export async function answerQuestion(
  tx: Tx,
  ticket: TicketRow,
  question: TicketFieldRow,
  text: string,
  now: Date,
): Promise<AnswerOutcome> {
  const field = (await formFieldsOf(tx, ticket.category)).find(
    (candidate) => candidate.name.toLowerCase() === question.name.toLowerCase(),
  );
  if (/^\s*(skip|skip it|pass|-)\s*[.!]?\s*$/i.test(text) || !field) {
    await tx
      .updateTable('ticket_fields')
      .set({ skipped: true, updated_at: now })
      .where('id', '=', question.id)
      .execute();
    return { kind: 'skipped', name: question.name };
  }
  const value = normalised(field, text);
  if (value === undefined) return { kind: 'invalid', field };
  await tx
    .updateTable('ticket_fields')
    .set({ value, updated_at: now })
    .where('id', '=', question.id)
    .execute();
  return { kind: 'stored', name: field.name, value };
}

/** `field:System=SAP` (or `field:"Access level"=write`) in a queue filter, parsed. */
export function fieldFilter(text: string): { name: string; value: string } | undefined {
  const match = /field:(?:"([^"]+)"|([^=\s]+))=(?:"([^"]+)"|(\S+))/i.exec(text);
  if (!match) return undefined;
  const name = (match[1] ?? match[2] ?? '').trim();
  const value = (match[3] ?? match[4] ?? '').trim();
  return name && value ? { name, value } : undefined;
}

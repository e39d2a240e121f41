import type { ColumnType, Generated, Selectable } from 'kysely';

export type FieldKind = 'text' | 'choice';

/** A field a category's requests ask for (`form access add "System" required`). */
export interface FormFieldsTable {
  id: Generated<number>;
  category: string;
  name: string;
  kind: FieldKind;
  required: Generated<boolean>;
  /** A choice field's options, in order; empty for a text field. */
  options: ColumnType<string[], string[] | undefined, string[]>;
  position: number;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/**
 * A field's value on a ticket. A row with no value is a follow-up question: asked (`asked_at`) and
 * waiting for the requester's answer, or `skipped`.
 */
export interface TicketFieldsTable {
  id: Generated<number>;
  ticket_id: number;
  name: string;
  value: string | null;
  asked_at: Date | null;
  skipped: Generated<boolean>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface FormTables {
  form_fields: FormFieldsTable;
  ticket_fields: TicketFieldsTable;
}

export type FormFieldRow = Selectable<FormFieldsTable>;
export type TicketFieldRow = Selectable<TicketFieldsTable>;

import type { ColumnType, Generated } from 'kysely';

/** Work logged on a ticket (`time #N 30m [note]`); the note is the body of `event_id`'s timeline entry. */
export interface TimeEntriesTable {
  id: Generated<number>;
  ticket_id: number;
  person_id: number;
  minutes: number;
  event_id: number | null;
  created_at: ColumnType<Date, Date, never>;
}

export interface TimeTables {
  time_entries: TimeEntriesTable;
}

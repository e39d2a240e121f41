import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
//
// Time tracking: `time #N 30m [note]` logs work on a ticket. Minutes are whole and bounded (an entry
// longer than a day is a typo); the person is kept for statistics when erased (repointed, not
// deleted), the entry goes with its ticket. The note is the body of the entry's timeline event
// (`event_id`), so retention and erasure treat it like every other note; no text is stored here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('time_entries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('minutes', 'integer', (c) => c.notNull().check(sql`minutes between 1 and 1440`))
    .addColumn('event_id', 'bigint', (c) => c.references('ticket_events.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('time_entries_ticket_idx').on('time_entries').column('ticket_id').execute();
  await db.schema.createIndex('time_entries_created_idx').on('time_entries').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('time_entries').ifExists().execute();
}

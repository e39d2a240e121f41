import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
//
// A ticket may now be `awaiting_approval` (the status checks of tickets and ticket_sla say so).
// Approvals: the categories whose requests wait for approval, the approvers named per category,
// and one approval per ticket that waited (its decision, who made it, when, and the reminders sent).
// Request forms: the fields a category asks for, and the values a ticket was filed with
// (`ticket_fields`; a row with no value and `asked_at` set is the follow-up question in progress).
const STATUSES = "'new', 'awaiting_approval', 'open', 'pending', 'resolved', 'closed'";
const OLD_STATUSES = "'new', 'open', 'pending', 'resolved', 'closed'";

/**
 * The status checks of `tickets` and `ticket_sla` (which mirrors the ticket's status). A check the
 * integrity migration left NOT VALID (older rows kept as they were) stays so, with its comment.
 */
async function statusChecks(db: Kysely<any>, statuses: string): Promise<void> {
  for (const table of ['tickets', 'ticket_sla']) {
    const name = `${table}_status_check`;
    const { rows } = await sql<{ validated: boolean; comment: string | null }>`
      select convalidated as validated, obj_description(oid, 'pg_constraint') as comment
      from pg_constraint where conname = ${name} and connamespace = current_schema()::regnamespace`.execute(
      db,
    );
    const was = rows[0];
    await sql.raw(`alter table ${table} drop constraint if exists ${name}`).execute(db);
    await sql
      .raw(`alter table ${table} add constraint ${name} check (status in (${statuses})) not valid`)
      .execute(db);
    if (!was || was.validated) await sql.raw(`alter table ${table} validate constraint ${name}`).execute(db);
    else if (was.comment)
      await sql
        .raw(`comment on constraint ${name} on ${table} is '${was.comment.replace(/'/g, "''")}'`)
        .execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await statusChecks(db, STATUSES);
  await db.schema
    .createTable('approval_categories')
    .addColumn('category', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('approvers')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('approvers_pkey', ['category', 'person_id'])
    .execute();
  await db.schema
    .createTable('approvals')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) =>
      c.notNull().unique().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'denied')`),
    )
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('reminders', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The reminder job reads only the approvals still waiting.
  await db.schema
    .createIndex('approvals_pending')
    .on('approvals')
    .column('requested_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  // An approver's direct chat with the bot is the latest direct message they sent it.
  await sql`create index inbound_events_direct_sender on inbound_events
    (platform, (payload->'sender'->>'userId'), id desc)
    where (payload->'conversation'->>'isDirect') = 'true'`.execute(db);

  await db.schema
    .createTable('form_fields')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('text', 'choice')`))
    .addColumn('required', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('options', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index form_fields_category_name on form_fields (category, lower(name))`.execute(db);
  await db.schema
    .createTable('ticket_fields')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('asked_at', 'timestamptz')
    .addColumn('skipped', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index ticket_fields_ticket_name on ticket_fields (ticket_id, lower(name))`.execute(
    db,
  );
  // `queue field:System=SAP`
  await sql`create index ticket_fields_search on ticket_fields (lower(name), lower(value))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // A request still waiting has no status before this migration: it is new again.
  await sql`update ticket_sla set status = 'new' where status = 'awaiting_approval'`.execute(db);
  await sql`update tickets set status = 'new' where status = 'awaiting_approval'`.execute(db);
  await statusChecks(db, OLD_STATUSES);
  await db.schema.dropTable('ticket_fields').ifExists().execute();
  await db.schema.dropTable('form_fields').ifExists().execute();
  await sql`drop index if exists inbound_events_direct_sender`.execute(db);
  await db.schema.dropTable('approvals').ifExists().execute();
  await db.schema.dropTable('approvers').ifExists().execute();
  await db.schema.dropTable('approval_categories').ifExists().execute();
}

import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
//
// Real traffic (issue 11):
// - identity_aliases: other ids a platform uses for a known identity (a Teams `29:…` id next to
//   the aadObjectId people are stored under), so a mention that carries only the alias finds the
//   person without a directory call.
// - ticket_attachments: files and images on a request or a reply, by their platform link (never
//   the bytes). One row per (ticket, platform, link).
// - installations: where the bot was removed (a Slack workspace, a Teams conversation). A row with
//   status 'inactive' stops deliveries there; a new event from there makes it 'active' again.
//   `welcomed_at` makes the install welcome a one-off. channel '' = the whole workspace/tenant.
// - outbox.status gains 'undeliverable': kept, with its reason, when the bot was removed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_aliases')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('identity_aliases_pkey', ['platform', 'alias'])
    .execute();

  await db.schema
    .createTable('ticket_attachments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('added_by', 'bigint', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('visibility', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`visibility in ('public', 'internal')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index ticket_attachments_link on ticket_attachments (ticket_id, platform, url, name)`.execute(
    db,
  );

  await db.schema
    .createTable('installations')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'inactive')`),
    )
    .addColumn('reason', 'text')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('welcomed_at', 'timestamptz')
    .addPrimaryKeyConstraint('installations_pkey', ['platform', 'tenant', 'channel'])
    .execute();

  await sql`alter table outbox drop constraint if exists outbox_status_check`.execute(db);
  await sql`alter table outbox add constraint outbox_status_check check (status in ('pending', 'sent', 'failed', 'undeliverable'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update outbox set status = 'failed' where status = 'undeliverable'`.execute(db);
  await sql`alter table outbox drop constraint if exists outbox_status_check`.execute(db);
  await sql`alter table outbox add constraint outbox_status_check check (status in ('pending', 'sent', 'failed'))`.execute(
    db,
  );
  await db.schema.dropTable('installations').ifExists().execute();
  await db.schema.dropTable('ticket_attachments').ifExists().execute();
  await db.schema.dropTable('identity_aliases').ifExists().execute();
}

import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('identities')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('display_name', 'text')
    .addColumn('email', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('identities_pk', ['platform', 'user_id'])
    .execute();
  await db.schema.createIndex('identities_person_idx').on('identities').column('person_id').execute();

  await db.schema
    .createTable('roles')
    .addColumn('person_id', 'integer', (c) => c.primaryKey().references('people.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('requester', 'agent', 'admin')`))
    .addColumn('granted_by', 'integer', (c) => c.references('people.id'))
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('thread', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_direct', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('ref', 'jsonb', (c) => c.notNull())
    .addColumn('state', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('conversations_key', ['platform', 'channel', 'thread'])
    .execute();

  await db.schema
    .createTable('inbound_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .addUniqueConstraint('inbound_events_key', ['platform', 'event_id'])
    .execute();
  await db.schema
    .createIndex('inbound_events_pending_idx')
    .on('inbound_events')
    .column('received_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) =>
      c.notNull().check(sql`op in ('post', 'update', 'ephemeral', 'dialog', 'home')`),
    )
    .addColumn('target', 'jsonb', (c) => c.notNull())
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('ticket_id', 'integer')
    .addColumn('purpose', 'text')
    .addColumn('thread_of', 'bigint', (c) => c.references('outbox.id'))
    .addColumn('update_of', 'bigint', (c) => c.references('outbox.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('platform_message_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('outbox_pending_idx')
    .on('outbox')
    .columns(['lane', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await sql`create sequence ticket_number_seq`.execute(db);
  await db.schema
    .createTable('tickets')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique().defaultTo(sql`nextval('ticket_number_seq')`))
    .addColumn('requester_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('assignee_id', 'integer', (c) => c.references('people.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().defaultTo('other'))
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority in ('P1', 'P2', 'P3', 'P4')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('new', 'open', 'pending', 'resolved', 'closed')`),
    )
    .addColumn('intent', 'text')
    .addColumn('language', 'text')
    .addColumn('sentiment', 'text')
    .addColumn('self_service', 'boolean')
    .addColumn('source_conversation_id', 'integer', (c) => c.references('conversations.id'))
    .addColumn('source_event_id', 'bigint', (c) => c.unique().references('inbound_events.id'))
    .addColumn('resolution', 'text')
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('csat', 'integer')
    .addColumn('first_response_at', 'timestamptz')
    .addColumn('first_response_due_at', 'timestamptz')
    .addColumn('resolution_due_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_status_idx').on('tickets').columns(['status', 'priority']).execute();
  await db.schema.createIndex('tickets_requester_idx').on('tickets').column('requester_id').execute();

  await db.schema
    .createTable('ticket_threads')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('triage', 'requester')`))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('thread', 'text')
    .addColumn('ref', 'jsonb', (c) => c.notNull())
    .addColumn('card_outbox_id', 'bigint', (c) => c.references('outbox.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ticket_threads_key', ['ticket_id', 'role', 'platform', 'channel'])
    .execute();
  await db.schema
    .createIndex('ticket_threads_lookup_idx')
    .on('ticket_threads')
    .columns(['platform', 'channel', 'thread'])
    .execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('actor_id', 'integer', (c) => c.references('people.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`visibility in ('public', 'internal')`),
    )
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('body', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_events_ticket_idx')
    .on('ticket_events')
    .columns(['ticket_id', 'id'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('people.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'settings',
    'ticket_events',
    'ticket_threads',
    'tickets',
    'outbox',
    'inbound_events',
    'conversations',
    'roles',
    'identities',
    'people',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`drop sequence if exists ticket_number_seq`.execute(db);
}

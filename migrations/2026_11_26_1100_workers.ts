import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Per-ticket SLA bookkeeping the tickets table does not carry: pauses, outcomes, escalation stop.
  await db.schema
    .createTable('ticket_sla')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_since', 'timestamptz', (c) => c.notNull())
    .addColumn('paused_since', 'timestamptz')
    .addColumn('pauses', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('first_response_met', 'boolean')
    .addColumn('resolution_met', 'boolean')
    .addColumn('escalated_at', 'timestamptz')
    .addColumn('paged_at', 'timestamptz')
    .addColumn('escalation_stopped_at', 'timestamptz')
    .addColumn('escalation_stopped_by', 'integer', (c) => c.references('people.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // One row per alert ever posted: the unique key is what makes each warning, breach, escalation
  // step or lifecycle action happen once, however often its job runs.
  await db.schema
    .createTable('sla_alerts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('sla_alerts_once', ['ticket_id', 'target', 'kind', 'level', 'due_at'])
    .execute();
  await db.schema
    .createIndex('sla_alerts_created_idx')
    .on('sla_alerts')
    .columns(['created_at', 'kind'])
    .execute();

  // One digest per local day.
  await db.schema
    .createTable('digests')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Rendered chart images, served over HTTP to platforms that show images by URL.
  await db.schema
    .createTable('charts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // The reconciler walks live tickets by id in batches; stats read by creation and resolution time.
  await db.schema
    .createIndex('tickets_live_idx')
    .on('tickets')
    .column('id')
    .where(sql.ref('status'), '<>', 'closed')
    .execute();
  await db.schema.createIndex('tickets_created_idx').on('tickets').column('created_at').execute();
  await db.schema.createIndex('tickets_resolved_idx').on('tickets').column('resolved_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['tickets_resolved_idx', 'tickets_created_idx', 'tickets_live_idx']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
  for (const table of ['charts', 'digests', 'sla_alerts', 'ticket_sla']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

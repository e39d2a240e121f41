import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
//
// Retention and privacy (issue 18, items 4 and 5):
// - retention_runs: one row per run of the retention job (scheduled, `helpdesk retention run`), with
//   the policies it applied and how many rows it changed per table; `retention` shows the last one.
// - privacy_exports: a person's export waiting to be downloaded once through
//   `GET /privacy/exports/<token>`. Only the SHA-256 of the token is stored; the row is deleted when
//   it is downloaded, when it expires (the retention job), and when the person is erased.
// Erasures themselves are recorded in audit_log (action `privacy`), without the erased data.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retention_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    /** `schedule`, `cli` or `command`. */
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('policies', 'jsonb', (c) => c.notNull())
    .addColumn('counts', 'jsonb', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('retention_runs_started_idx')
    .on('retention_runs')
    .column('started_at')
    .execute();

  await db.schema
    .createTable('privacy_exports')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('subject_person_id', 'integer', (c) => c.references('people.id').onDelete('cascade'))
    .addColumn('requested_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('document', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('privacy_exports_expires_idx')
    .on('privacy_exports')
    .column('expires_at')
    .execute();
  // Retention looks for old closed tickets by when they closed.
  await db.schema
    .createIndex('tickets_closed_idx')
    .on('tickets')
    .column('closed_at')
    .where(sql.ref('status'), '=', 'closed')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_closed_idx').ifExists().execute();
  await db.schema.dropTable('privacy_exports').ifExists().execute();
  await db.schema.dropTable('retention_runs').ifExists().execute();
}

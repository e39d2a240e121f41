import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
//
// audit_log: every change an admin makes to how the helpdesk is configured (settings, roles, and
// later webhooks, API keys, retention), appended by the app and never updated by it, except that
// erasing a person replaces their name in `actor_name` (the erasure itself is then recorded).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('actor_id', 'bigint', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    /** The command or surface: `config`, `role`, `sla`, `webhook`, `apikey`, `cli`… */
    .addColumn('action', 'text', (c) => c.notNull())
    /** What changed: a setting key, `role:<person id>`, `webhook:<id>`… */
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('audit_log_created_at').on('audit_log').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').ifExists().execute();
}

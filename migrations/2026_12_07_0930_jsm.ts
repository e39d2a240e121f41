import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
//
// jsm_links: a ticket and the Jira Service Management request that mirrors it. jsm_ops: the calls
// to JSM a change asked for (create, comment, transition), written in the change's transaction and
// made by the `jsm-sync` job in order per ticket. jsm_comments: comment ids seen in both directions,
// so a comment the helpdesk wrote is not relayed back, and a webhook retried by JSM relays once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jsm_links')
    .addColumn('ticket_id', 'bigint', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('jsm_key', 'text', (c) => c.notNull().unique())
    .addColumn('jsm_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('jsm_ops')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('op', 'text', (c) => c.notNull().check(sql`op in ('create', 'comment', 'transition')`))
    /** The comment text or the helpdesk status to transition to. */
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('done_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('jsm_ops_pending_idx')
    .on('jsm_ops')
    .columns(['ticket_id', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema
    .createTable('jsm_comments')
    .addColumn('jsm_comment_id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('out', 'in')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jsm_comments').ifExists().execute();
  await db.schema.dropTable('jsm_ops').ifExists().execute();
  await db.schema.dropTable('jsm_links').ifExists().execute();
}

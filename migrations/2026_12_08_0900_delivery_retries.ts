import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import app code here.
// Deliveries wait without failing: `next_attempt_at` is the earliest a row may be sent again (a
// platform's Retry-After, a backoff), so a recovered or duplicate job never sends it sooner;
// `reason` is a dead letter's short cause (for /metrics and `helpdesk deadletters`); `retries`
// counts re-sends asked for by an admin, which name the re-sent row's job. `delivery_pauses` holds
// the workspaces whose token the platform refuses: their deliveries wait for a probe to succeed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addColumn('retries', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('inbound_events')
    .addColumn('retries', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('outbox_undeliverable_idx')
    .ifNotExists()
    .on('outbox')
    .column('id')
    .where(sql.ref('status'), '=', 'undeliverable')
    .execute();
  await db.schema
    .createTable('delivery_pauses')
    .ifNotExists()
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('tenant', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('probed_at', 'timestamptz')
    .addPrimaryKeyConstraint('delivery_pauses_pkey', ['platform', 'tenant'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delivery_pauses').ifExists().execute();
  await db.schema.dropIndex('outbox_undeliverable_idx').ifExists().execute();
  await db.schema.alterTable('inbound_events').dropColumn('retries').execute();
  await db.schema
    .alterTable('outbox')
    .dropColumn('next_attempt_at')
    .dropColumn('reason')
    .dropColumn('retries')
    .execute();
}

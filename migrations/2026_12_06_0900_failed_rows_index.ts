import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: never import app code here.
// /metrics counts failed inbound events and deliveries (the dead letters) at every scrape; these
// partial indexes keep that a look at the few failed rows instead of a scan of both tables.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('inbound_events_failed_idx')
    .ifNotExists()
    .on('inbound_events')
    .column('id')
    .where(sql.ref('status'), '=', 'failed')
    .execute();
  await db.schema
    .createIndex('outbox_failed_idx')
    .ifNotExists()
    .on('outbox')
    .column('id')
    .where(sql.ref('status'), '=', 'failed')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_failed_idx').ifExists().execute();
  await db.schema.dropIndex('inbound_events_failed_idx').ifExists().execute();
}

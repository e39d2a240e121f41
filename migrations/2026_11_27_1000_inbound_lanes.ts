import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Events from one conversation thread are processed in the order they arrived: each names its
  // lane, and a worker looks for an earlier pending event in the same lane before it starts.
  await db.schema.alterTable('inbound_events').addColumn('lane', 'text').execute();
  await db.schema
    .createIndex('inbound_events_lane_pending_idx')
    .on('inbound_events')
    .columns(['lane', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbound_events_lane_pending_idx').ifExists().execute();
  await db.schema.alterTable('inbound_events').dropColumn('lane').execute();
}

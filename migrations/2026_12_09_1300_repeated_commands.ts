import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
// A command typed again (a Slack slash command gets a new trigger_id each time) is the same request
// when the same person sends the same text in the same conversation within a short window:
// `repeat_key` names that (a hash of platform, workspace, conversation, sender and text), and the
// index finds an earlier one at once.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('inbound_events').addColumn('repeat_key', 'text').execute();
  await db.schema
    .createIndex('inbound_events_repeat_idx')
    .on('inbound_events')
    .columns(['repeat_key', 'received_at'])
    .where(sql.ref('repeat_key'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('inbound_events_repeat_idx').ifExists().execute();
  await db.schema.alterTable('inbound_events').dropColumn('repeat_key').execute();
}

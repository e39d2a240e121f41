import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // A button press names the platform message it came from: find the outbox row that posted it,
  // and that row's updates, without scanning the whole outbox (Teams invoke answers wait on this).
  await db.schema
    .createIndex('outbox_platform_message_idx')
    .on('outbox')
    .columns(['platform', 'platform_message_id'])
    .where(sql.ref('platform_message_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('outbox_update_of_idx')
    .on('outbox')
    .columns(['update_of', 'id'])
    .where(sql.ref('update_of'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['outbox_update_of_idx', 'outbox_platform_message_idx']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
}

import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The console names every message it shows (`u12`, `c13`) so that a reply can name its thread.
  // Threads are kept in the database across runs, so the numbers come from it too: one sequence,
  // shared by every console process on the database, never restarting.
  await sql`create sequence if not exists console_message_ids`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop sequence if exists console_message_ids`.execute(db);
}

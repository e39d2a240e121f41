import type { Kysely } from 'kysely';

// Frozen in time: never import app code here.
// The language a person last wrote in (or their platform's locale): an ISO 639-1 code the helpdesk
// has texts in, so later notices (a status change, the satisfaction survey) are in that language.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('people').addColumn('language', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('people').dropColumn('language').execute();
}

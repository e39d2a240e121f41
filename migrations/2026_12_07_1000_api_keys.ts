import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
//
// api_keys: keys for the REST API (/api/v1). Only a SHA-256 hash of the key is stored, with its
// visible prefix to find the row and to tell keys apart; each key acts as its own person (the API
// actor, an agent), so the timeline says which integration did what. The rate limit's token bucket
// lives on the row, so every `serve` process shares it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('created_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('rate_tokens', 'double precision')
    .addColumn('rate_at', 'timestamptz')
    .execute();
  // Cursor pagination of the API's ticket list: newest change first.
  await db.schema
    .createIndex('tickets_updated_at_id')
    .on('tickets')
    .columns(['updated_at desc', 'id desc'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_updated_at_id').ifExists().execute();
  await db.schema.dropTable('api_keys').ifExists().execute();
}

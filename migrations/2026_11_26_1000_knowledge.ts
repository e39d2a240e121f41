import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  // array_to_string is only STABLE; a generated column needs an IMMUTABLE expression.
  await sql`create or replace function kb_tags_text(tags text[]) returns text
    language sql immutable parallel safe as $$ select coalesce(array_to_string(tags, ' '), '') $$`.execute(
    db,
  );

  await db.schema
    .createTable('kb_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('url', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('published').check(sql`status in ('draft', 'published', 'rejected')`),
    )
    .addColumn('helpful_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unhelpful_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('source_ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('created_by', 'integer', (c) => c.references('people.id'))
    .addColumn('reviewed_by', 'integer', (c) => c.references('people.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('search', sql`tsvector`, (c) =>
      c
        .generatedAlwaysAs(
          sql`setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, kb_tags_text(tags)), 'B') || setweight(to_tsvector('english'::regconfig, body), 'C')`,
        )
        .stored(),
    )
    .execute();
  await db.schema
    .createIndex('kb_articles_search_idx')
    .on('kb_articles')
    .using('gin')
    .column('search')
    .execute();
  await db.schema
    .createIndex('kb_articles_status_idx')
    .on('kb_articles')
    .columns(['status', 'updated_at'])
    .execute();

  // An answer the knowledge agent gave, so the card's buttons know what was cited and asked.
  await db.schema
    .createTable('kb_answers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('conversation_id', 'integer', (c) => c.references('conversations.id').onDelete('cascade'))
    .addColumn('requester_id', 'integer', (c) => c.references('people.id'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('article_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('triage', 'jsonb')
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('fixed', 'more-help')`))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('kb_answers_conversation_idx')
    .on('kb_answers')
    .columns(['conversation_id', 'id'])
    .execute();

  await db.schema
    .createTable('llm_calls')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('prompt_tokens', 'integer')
    .addColumn('completion_tokens', 'integer')
    .addColumn('total_tokens', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sql`outcome in ('ok', 'error', 'timeout', 'invalid', 'cached')`),
    )
    .addColumn('cached', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('input_hash', 'text')
    /** Redacted input, kept short, for reviewing what the model was asked. */
    .addColumn('input', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('llm_calls_created_idx').on('llm_calls').column('created_at').execute();

  await db.schema
    .createTable('llm_cache')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('llm_cache_created_idx').on('llm_cache').column('created_at').execute();

  // Vectors only where the extension exists; the exception block keeps a failed attempt from aborting the migration.
  await sql`
    do $$
    begin
      if exists (select 1 from pg_available_extensions where name = 'vector') then
        begin
          create extension if not exists vector;
          create table kb_embeddings (
            article_id text not null references kb_articles(id) on delete cascade,
            model text not null,
            content_hash text not null,
            embedding vector not null,
            primary key (article_id, model)
          );
        exception when others then
          raise notice 'pgvector unavailable: %', sqlerrm;
        end;
      end if;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['kb_embeddings', 'llm_cache', 'llm_calls', 'kb_answers', 'kb_articles']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`drop function if exists kb_tags_text(text[])`.execute(db);
}

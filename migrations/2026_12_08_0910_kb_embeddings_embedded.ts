import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
// Embedded databases created before PGlite loaded pgvector skipped `kb_embeddings` silently (as does
// any Postgres without the extension). Where the extension is available now, create what was skipped;
// where it is not, nothing changes: full-text search works without it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$
    begin
      if to_regclass('kb_embeddings') is null
         and exists (select 1 from pg_available_extensions where name = 'vector') then
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

export async function down(): Promise<void> {
  // The table belongs to the knowledge migration's down; nothing of its own to undo.
}

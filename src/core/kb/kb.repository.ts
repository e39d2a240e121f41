/** Knowledge-base storage: upsert by stable id, full-text search, drafts and feedback counts. */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx } from '../db.ts';
import type { ArticleRow, ArticleStatus } from './kb.table.ts';

export interface ArticleInput {
  id: string;
  title: string;
  body: string;
  tags?: string[] | undefined;
  source?: string | undefined;
  url?: string | null | undefined;
  status?: ArticleStatus | undefined;
  sourceTicketId?: number | null | undefined;
  createdBy?: number | null | undefined;
}

export type UpsertOutcome = 'imported' | 'updated' | 'unchanged';

export function contentHash(a: Pick<ArticleInput, 'title' | 'body' | 'tags' | 'url' | 'status'>): string {
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.body, a.tags ?? [], a.url ?? null, a.status ?? 'published']))
    .digest('hex')
    .slice(0, 32);
}

/** A readable stable id from a title, for articles that arrive without one. */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'article'
  );
}

/** Inserts or updates one article; an identical re-import changes nothing. */
export async function upsertArticle(db: DbOrTx, input: ArticleInput, now: Date): Promise<UpsertOutcome> {
  const hash = contentHash(input);
  const row = await db
    .insertInto('kb_articles')
    .values({
      id: input.id,
      title: input.title,
      body: input.body,
      tags: input.tags ?? [],
      source: input.source ?? 'manual',
      url: input.url ?? null,
      status: input.status ?? 'published',
      content_hash: hash,
      source_ticket_id: input.sourceTicketId ?? null,
      created_by: input.createdBy ?? null,
      reviewed_by: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          body: eb.ref('excluded.body'),
          tags: eb.ref('excluded.tags'),
          source: eb.ref('excluded.source'),
          url: eb.ref('excluded.url'),
          status: eb.ref('excluded.status'),
          content_hash: eb.ref('excluded.content_hash'),
          updated_at: now,
        }))
        .where('kb_articles.content_hash', '<>', hash),
    )
    // xmax is 0 only for a freshly inserted row version.
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirst();
  if (!row) return 'unchanged';
  return row.inserted ? 'imported' : 'updated';
}

export async function getArticle(db: DbOrTx, id: string): Promise<ArticleRow | undefined> {
  return db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface SearchHit {
  id: string;
  title: string;
  body: string;
  url: string | null;
  tags: string[];
  rank: number;
  /** Share of the query's words that the article contains (0..1): how well it fits, not just whether. */
  coverage: number;
  /** True when every query word matched (websearch_to_tsquery semantics). */
  allTerms: boolean;
}

/**
 * Full-text search over published articles. Every-word matches (websearch_to_tsquery) rank first;
 * any-word matches fill in, so a chatty question still finds its article.
 */
export async function searchArticles(
  db: DbOrTx,
  query: string,
  opts: { limit?: number; status?: ArticleStatus } = {},
): Promise<SearchHit[]> {
  const limit = opts.limit ?? 5;
  const q = query.slice(0, 1000);
  const result = await sql<SearchHit>`
    with terms as (
      select websearch_to_tsquery('english', ${q}) as strict,
        coalesce(nullif(array_to_string(array(
          select quote_literal(lexeme) from unnest(tsvector_to_array(to_tsvector('english', ${q}))) as lexeme
        ), ' | '), ''), '''''')::tsquery as loose,
        tsvector_to_array(to_tsvector('english', ${q})) as lexemes
    )
    select a.id, a.title, a.body, a.url, a.tags,
      (ts_rank(a.search, terms.loose, 1) + case when a.search @@ terms.strict then 1 else 0 end)::float8 as rank,
      (select count(*) from unnest(terms.lexemes) l where a.search @@ quote_literal(l)::tsquery)::float8
        / greatest(1, cardinality(terms.lexemes)) as coverage,
      (a.search @@ terms.strict) as "allTerms"
    from kb_articles a, terms
    where a.status = ${opts.status ?? 'published'} and a.search @@ terms.loose
    order by rank desc, a.id
    limit ${limit}`.execute(db);
  return result.rows;
}

export async function listArticles(db: DbOrTx, status: ArticleStatus, limit = 20): Promise<ArticleRow[]> {
  return db
    .selectFrom('kb_articles')
    .selectAll()
    .where('status', '=', status)
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
}

export async function setArticleStatus(
  db: DbOrTx,
  id: string,
  status: ArticleStatus,
  reviewerId: number | null,
  now: Date,
): Promise<ArticleRow | undefined> {
  return db
    .updateTable('kb_articles')
    .set({ status, reviewed_by: reviewerId, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function countArticles(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('kb_articles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Counts a verdict on the articles; `retract` takes back an earlier "helpful" at the same time. */
export async function markHelpful(
  db: DbOrTx,
  ids: string[],
  helpful: boolean,
  retract = false,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('kb_articles')
    .set((eb) =>
      helpful
        ? { helpful_count: eb('helpful_count', '+', 1) }
        : retract
          ? {
              unhelpful_count: eb('unhelpful_count', '+', 1),
              helpful_count: sql<number>`greatest(helpful_count - 1, 0)`,
            }
          : { unhelpful_count: eb('unhelpful_count', '+', 1) },
    )
    .where('id', 'in', ids)
    .execute();
}

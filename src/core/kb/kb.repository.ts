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
  /**
   * How well the article fits the question (0..1), what the answer decision reads: the question's
   * words weighted by rarity (a word few articles hold says more than "outlook" or "error"; a word no
   * article holds counts against every one), found in the article and in its title, how much of
   * the title the question says, and the question's adjacent word pairs found as phrases.
   */
  score: number;
}

/** Candidates read before scoring: enough that the right article is among them when any word matches. */
const CANDIDATES = 60;

/** The parts of the fit score; they sum to 1. */
export const FIT_WEIGHTS = { article: 0.4, title: 0.2, titleRecall: 0.25, phrase: 0.15 } as const;

interface QueryTerms {
  lexemes: string[];
  /** Inverse document frequency of each lexeme (same order). */
  weights: number[];
  /** Adjacent lexeme pairs as tsquery text: `'a' <-> 'b' | 'a' <2> 'b'` (a stop word may sit between). */
  phrases: string[];
}

/** The query's lexemes in order, their rarity in the published articles, and its word pairs. */
async function queryTerms(db: DbOrTx, q: string): Promise<QueryTerms> {
  const result = await sql<{ lexeme: string; first: number; df: number; n: number }>`
    select t.lexeme, t.positions[1] as first,
      (select count(*) from kb_articles a where a.status = 'published' and a.search @@ quote_literal(t.lexeme)::tsquery) as df,
      (select count(*) from kb_articles a where a.status = 'published') as n
    from unnest(to_tsvector('english', ${q})) as t
    order by first`.execute(db);
  const rows = result.rows;
  const n = Number(rows[0]?.n ?? 0);
  const lexemes = rows.map((r) => r.lexeme);
  // A word no article holds counts as one that a few do: chat adds context words ("it shows this
  // address") that should weigh against a fit, but not drown the words that name the problem.
  const weights = rows.map((r) => Math.log((n + 1) / (Number(r.df) === 0 ? 3 : Number(r.df) + 0.5)));
  const quote = (l: string) => `'${l.replaceAll("'", "''")}'`;
  const phrases: string[] = [];
  for (let i = 1; i < lexemes.length; i++) {
    const [a, b] = [quote(lexemes[i - 1]!), quote(lexemes[i]!)];
    phrases.push(`(${a} <-> ${b}) | (${a} <2> ${b})`);
  }
  return { lexemes, weights, phrases };
}

/** What one article holds of the question: its words anywhere and in the title, its phrases, and how much of its title the question says. */
export interface FitEvidence {
  inArticle: string[];
  inTitle: string[];
  phrasesMatched: number;
  phrases: number;
  /** Share of the title's own words that the question contains. */
  titleRecall: number;
}

/**
 * The fit score of one article (0..1): the rarity-weighted share of the question's words that the
 * article holds (FIT_WEIGHTS.article) and that its title holds (FIT_WEIGHTS.title), the share of the
 * title's own words the question says (FIT_WEIGHTS.titleRecall: "Which browsers does Okta work on?"
 * says all of that article's title, however much else the message says), and the share of the
 * question's word pairs found as phrases (FIT_WEIGHTS.phrase; a one-word question counts its word).
 */
export function fitScore(terms: Pick<QueryTerms, 'lexemes' | 'weights'>, e: FitEvidence): number {
  const total = terms.weights.reduce((a, b) => a + Math.max(b, 0.05), 0);
  if (total === 0) return 0;
  const weightOf = (found: string[]) =>
    terms.lexemes.reduce(
      (sum, l, i) => sum + (found.includes(l) ? Math.max(terms.weights[i]!, 0.05) : 0),
      0,
    ) / total;
  const article = weightOf(e.inArticle);
  const phrase = e.phrases === 0 ? article : e.phrasesMatched / e.phrases;
  return (
    FIT_WEIGHTS.article * article +
    FIT_WEIGHTS.title * weightOf(e.inTitle) +
    FIT_WEIGHTS.titleRecall * e.titleRecall +
    FIT_WEIGHTS.phrase * phrase
  );
}

/**
 * Full-text search over published articles, best fit first (`score`). Articles holding any of the
 * question's words are candidates (ranked by Postgres first, title words weighing most); each is then
 * scored by the rarity-weighted words it holds, in its body and in its title, and the question's
 * phrases it contains.
 */
export async function searchArticles(
  db: DbOrTx,
  query: string,
  opts: { limit?: number; status?: ArticleStatus } = {},
): Promise<SearchHit[]> {
  const limit = opts.limit ?? 5;
  const q = query.slice(0, 1000);
  const terms = await queryTerms(db, q);
  if (terms.lexemes.length === 0) return [];
  const result = await sql<
    Omit<SearchHit, 'score'> & {
      in_article: string[];
      in_title: string[];
      phrases: number;
      title_terms: number;
      title_in_question: number;
    }
  >`
    with terms as (
      select websearch_to_tsquery('english', ${q}) as strict,
        array_to_string(array(select quote_literal(l) from unnest(${terms.lexemes}::text[]) l), ' | ')::tsquery as loose
    )
    select a.id, a.title, a.body, a.url, a.tags,
      (ts_rank(a.search, terms.loose, 1) + case when a.search @@ terms.strict then 1 else 0 end)::float8 as rank,
      (a.search @@ terms.strict) as "allTerms",
      array(select l from unnest(${terms.lexemes}::text[]) l where a.search @@ quote_literal(l)::tsquery) as in_article,
      array(select l from unnest(${terms.lexemes}::text[]) l
            where to_tsvector('english'::regconfig, a.title) @@ quote_literal(l)::tsquery) as in_title,
      (select count(*) from unnest(${terms.phrases}::text[]) p where a.search @@ p::tsquery)::int as phrases,
      cardinality(tsvector_to_array(to_tsvector('english'::regconfig, a.title))) as title_terms,
      (select count(*) from unnest(tsvector_to_array(to_tsvector('english'::regconfig, a.title))) t
        where t = any(${terms.lexemes}::text[]))::int as title_in_question
    from kb_articles a, terms
    where a.status = ${opts.status ?? 'published'} and a.search @@ terms.loose
    order by rank desc, a.id
    limit ${CANDIDATES}`.execute(db);
  return result.rows
    .map(({ in_article, in_title, phrases, title_terms, title_in_question, ...hit }) => ({
      ...hit,
      coverage: in_article.length / terms.lexemes.length,
      score: fitScore(terms, {
        inArticle: in_article,
        inTitle: in_title,
        phrasesMatched: phrases,
        phrases: terms.phrases.length,
        titleRecall: title_terms > 0 ? title_in_question / title_terms : 0,
      }),
    }))
    .sort((a, b) => b.score - a.score || b.rank - a.rank || a.id.localeCompare(b.id))
    .slice(0, limit);
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

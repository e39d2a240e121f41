/**
 * Vector similarity for the knowledge base, used only where the pgvector extension exists (the
 * migration created `kb_embeddings`) and an embeddings model is configured. Full-text search always runs.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../db.ts';
import { type SearchHit, searchArticles } from './kb.repository.ts';

/** The embeddings port: LangChain's `Embeddings` fits it, core never imports LangChain. */
export interface Embedder {
  model: {
    embedQuery(text: string): Promise<number[]>;
    embedDocuments(texts: string[]): Promise<number[][]>;
  };
  name: string;
}

/** True when this database has pgvector and the embeddings table. */
export async function vectorsAvailable(db: DbOrTx): Promise<boolean> {
  const result = await sql<{ ok: boolean }>`
    select exists (select 1 from pg_extension where extname = 'vector')
       and to_regclass('kb_embeddings') is not null as ok`.execute(db);
  return result.rows[0]?.ok === true;
}

/** Whether vector search runs, and why not when it does not (said at start-up and after `kb import`). */
export type VectorSearchStatus = { on: true; model: string; reason: string } | { on: false; reason: string };

export async function vectorSearchStatus(
  db: DbOrTx,
  embedder: Embedder | undefined,
): Promise<VectorSearchStatus> {
  if (!embedder)
    return {
      on: false,
      reason: 'no embeddings model (set OPENAI_EMBEDDINGS_MODEL with OPENAI_API_KEY or OPENAI_BASE_URL)',
    };
  if (!(await vectorsAvailable(db).catch(() => false)))
    return { on: false, reason: 'this Postgres has no pgvector extension' };
  return { on: true, model: embedder.name, reason: `on, with ${embedder.name}` };
}

/** The line that says so: "vector search: on, with …" or "vector search off: …; full-text search only". */
export function describeVectorSearch(status: VectorSearchStatus): string {
  return status.on
    ? `vector search: ${status.reason} (hybrid with full-text search)`
    : `vector search off: ${status.reason}; full-text search only`;
}

const toVector = (values: number[]) => `[${values.map((v) => (Number.isFinite(v) ? v : 0)).join(',')}]`;

/** Embeds published articles whose embedding is missing or stale; returns how many were embedded. */
export async function indexEmbeddings(db: DbOrTx, embedder: Embedder, batchSize = 32): Promise<number> {
  if (!(await vectorsAvailable(db))) return 0;
  let total = 0;
  for (;;) {
    const stale = await sql<{ id: string; title: string; body: string; content_hash: string }>`
      select a.id, a.title, a.body, a.content_hash from kb_articles a
      left join kb_embeddings e on e.article_id = a.id and e.model = ${embedder.name}
      where a.status = 'published' and (e.article_id is null or e.content_hash <> a.content_hash)
      order by a.id limit ${batchSize}`.execute(db);
    if (stale.rows.length === 0) return total;
    const vectors = await embedder.model.embedDocuments(
      stale.rows.map((r) => `${r.title}\n\n${r.body.slice(0, 6000)}`),
    );
    // Checked before anything is written: a wrong batch stores nothing.
    checkDimensions(vectors, stale.rows.length, embedder.name, await storedDimensions(db, embedder.name));
    for (const [i, row] of stale.rows.entries()) {
      await sql`
        insert into kb_embeddings (article_id, model, content_hash, embedding)
        values (${row.id}, ${embedder.name}, ${row.content_hash}, ${toVector(vectors[i] ?? [])}::vector)
        on conflict (article_id, model) do update set content_hash = excluded.content_hash, embedding = excluded.embedding`.execute(
        db,
      );
    }
    total += stale.rows.length;
  }
}

/**
 * The dimensions `kb_embeddings` holds for a model: the column's own (`vector(n)`), else those of the
 * vectors already stored for it; undefined while neither says.
 */
export async function storedDimensions(db: DbOrTx, model: string): Promise<number | undefined> {
  const result = await sql<{ typmod: number | null; stored: number | null }>`
    select (select atttypmod from pg_attribute
             where attrelid = 'kb_embeddings'::regclass and attname = 'embedding') as typmod,
           (select vector_dims(embedding) from kb_embeddings where model = ${model} limit 1) as stored`.execute(
    db,
  );
  const row = result.rows[0];
  if (row?.typmod !== undefined && row.typmod !== null && row.typmod > 0) return row.typmod;
  return row?.stored ?? undefined;
}

/**
 * Refuses a batch of embeddings that cannot be right: a count other than the texts sent, an empty or
 * non-numeric vector, mixed lengths, or a length other than what the column already holds (a server
 * that ignored the requested float encoding decodes to a quarter of the dimensions, silently).
 */
function checkDimensions(vectors: number[][], expectedCount: number, model: string, stored?: number): void {
  const fail = (why: string) => {
    throw new Error(`embeddings from ${model} refused, nothing stored: ${why}`);
  };
  if (vectors.length !== expectedCount)
    fail(`${vectors.length} vectors came back for ${expectedCount} articles`);
  const lengths = new Set(vectors.map((v) => v.length));
  if (lengths.size > 1) fail(`vectors of different lengths (${[...lengths].join(', ')})`);
  const [length] = [...lengths];
  if (!length) fail('empty vectors');
  if (vectors.some((v) => v.some((x) => typeof x !== 'number' || !Number.isFinite(x))))
    fail('values that are not finite numbers');
  if (stored !== undefined && length !== stored)
    fail(
      `${length} dimensions, but kb_embeddings holds ${stored} for this model (was the model changed? or does the server ignore encoding_format=float?)`,
    );
}

/** A vector neighbour that shares no word with the question counts for this much of its similarity. */
export const VECTOR_ONLY_FACTOR = 0.8;

/**
 * Full-text hits and vector neighbours together, best fit first. An article both find scores the
 * better of its text score and the mean of text score and cosine similarity (vectors can lift a hit
 * whose wording differs, never sink one); a neighbour only vectors find scores its similarity times
 * VECTOR_ONLY_FACTOR. Falls back to full-text alone on any vector failure.
 */
export async function hybridSearch(
  db: DbOrTx,
  query: string,
  embedder: Embedder,
  opts: { limit?: number } = {},
): Promise<SearchHit[]> {
  const limit = opts.limit ?? 5;
  const text = await searchArticles(db, query, { limit: limit * 2 });
  if (!(await vectorsAvailable(db).catch(() => false))) return text.slice(0, limit);
  let nearest: Array<SearchHit & { distance: number }>;
  try {
    const vector = toVector(await embedder.model.embedQuery(query));
    const rows = await sql<SearchHit & { distance: number }>`
      select a.id, a.title, a.body, a.url, a.tags, 0::float8 as rank, 0::float8 as coverage, false as "allTerms",
        0::float8 as score, (e.embedding <=> ${vector}::vector)::float8 as distance
      from kb_embeddings e join kb_articles a on a.id = e.article_id
      where e.model = ${embedder.name} and a.status = 'published'
      order by distance limit ${limit * 2}`.execute(db);
    nearest = rows.rows;
  } catch {
    return text.slice(0, limit);
  }
  const fused = new Map<string, SearchHit>(text.map((hit) => [hit.id, hit]));
  for (const neighbour of nearest) {
    const similarity = Math.max(0, 1 - neighbour.distance);
    const hit = fused.get(neighbour.id);
    if (hit) fused.set(hit.id, { ...hit, score: Math.max(hit.score, (hit.score + similarity) / 2) });
    else {
      const { distance: _, ...rest } = neighbour;
      fused.set(rest.id, { ...rest, coverage: similarity, score: VECTOR_ONLY_FACTOR * similarity });
    }
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || b.rank - a.rank).slice(0, limit);
}

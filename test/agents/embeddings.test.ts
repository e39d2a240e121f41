/**
 * Embedding requests and what is stored (issue 14, item 4), on embedded Postgres with pgvector: the
 * SDK asks for floats (a server that ignores base64 no longer corrupts vectors), and vectors whose
 * dimensions differ from what `kb_embeddings` holds are refused with a clear error, storing nothing.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, defaultAgentSettings } from '../../src/agents/llm/model.ts';
import { migrateToLatest } from '../../src/app/migrate.ts';
import type { Db } from '../../src/core/db.ts';
import { upsertArticle } from '../../src/core/kb/kb.repository.ts';
import { indexEmbeddings, storedDimensions } from '../../src/core/kb/kb.vectors.ts';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.ts';

let pglite: PGlite;
let server: PGLiteSocketServer;
let db: Db;
let fake: FakeOpenAI;

beforeAll(async () => {
  pglite = await PGlite.create({ extensions: { vector } });
  server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 });
  await server.start();
  const port = (server as unknown as { port: number }).port;
  const pool = new pg.Pool({
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    max: 1,
  });
  db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) as Db;
  const outcome = await migrateToLatest(db);
  if (outcome.error) throw outcome.error;
  fake = await startFakeOpenAI();
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
  await pglite?.close();
  await fake?.close();
});

const embedder = () =>
  createModel({
    ...defaultAgentSettings,
    OPENAI_API_KEY: 'sk-test-not-a-real-key',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_EMBEDDINGS_MODEL: 'text-embedding-3-small',
  })!.embeddings!;

const article = (id: string, body: string) =>
  upsertArticle(db, { id, title: `Article ${id}`, body, source: 'test', status: 'published' }, new Date());

const stored = async () =>
  (
    await sql<{ article_id: string; dims: number }>`
      select article_id, vector_dims(embedding) as dims from kb_embeddings order by article_id`.execute(db)
  ).rows;

describe('embeddings', () => {
  it('asks for floats, so a server that ignores the encoding stores the real vectors', async () => {
    fake.honoursEncodingFormat = false; // always sends float arrays, whatever was asked
    fake.dimensions = 64;
    await article('a', 'connect to the vpn with globalprotect');
    await article('b', 'printer jams on the third floor');
    expect(await indexEmbeddings(db, embedder())).toBe(2);
    const requests = fake.requests.filter((r) => r.path.endsWith('/embeddings'));
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) expect(r.body.encoding_format).toBe('float');
    expect(await stored()).toEqual([
      { article_id: 'a', dims: 64 },
      { article_id: 'b', dims: 64 },
    ]);
    expect(await storedDimensions(db, 'text-embedding-3-small')).toBe(64);
  });

  it('refuses vectors whose dimensions differ from the stored ones, naming both, and stores nothing', async () => {
    fake.dimensions = 16;
    await article('a', 'connect to the vpn with globalprotect on a mac');
    await article('c', 'reset the authenticator on a new phone');
    await expect(indexEmbeddings(db, embedder())).rejects.toThrow(
      /embeddings from text-embedding-3-small refused, nothing stored: 16 dimensions, but kb_embeddings holds 64/,
    );
    // The stale vector of "a" is kept as it was, and "c" got none.
    expect(await stored()).toEqual([
      { article_id: 'a', dims: 64 },
      { article_id: 'b', dims: 64 },
    ]);
    fake.dimensions = 64;
    expect(await indexEmbeddings(db, embedder())).toBe(2);
    expect((await stored()).map((r) => r.dims)).toEqual([64, 64, 64]);
  });
});

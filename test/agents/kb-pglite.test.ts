import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../src/agents/llm/model.ts';
import { migrateToLatest } from '../../src/app/migrate.ts';
import type { Db } from '../../src/core/db.ts';
import { importArticles, readArticles } from '../../src/core/kb/kb.import.ts';
import { searchArticles } from '../../src/core/kb/kb.repository.ts';
import { hybridSearch, indexEmbeddings, vectorsAvailable } from '../../src/core/kb/kb.vectors.ts';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.ts';

let pglite: PGlite;
let server: PGLiteSocketServer;
let db: Db;
let fake: FakeOpenAI;

beforeAll(async () => {
  // In-process PGlite with pgvector, reached through its socket server by the same pg + Kysely code as production.
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
  await importArticles(
    db,
    await readArticles(join(import.meta.dirname, '../../kb/demo'), 'demo'),
    new Date(),
  );
  fake = await startFakeOpenAI();
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
  await pglite?.close();
  await fake?.close();
});

describe('kb search on embedded Postgres (PGlite)', () => {
  it('ranks with full-text search exactly as on the server', async () => {
    const [top] = await searchArticles(db, 'how do I set up VPN on my Mac?');
    expect(top).toMatchObject({ id: 'demo-vpn-mac', allTerms: true });
    expect((await searchArticles(db, 'new phone authenticator'))[0]?.id).toBe('demo-mfa-device');
  });

  it('detects pgvector and adds vector neighbours when an embeddings model is configured', async () => {
    expect(await vectorsAvailable(db)).toBe(true);
    const model = createModel({
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MODEL: 'gpt-4o-mini',
      OPENAI_EMBEDDINGS_MODEL: 'text-embedding-3-small',
      AZURE_OPENAI_API_VERSION: '2024-10-21',
      LLM_TIMEOUT_MS: 2000,
      LLM_CACHE_TTL_SECONDS: 60,
    });
    const embedder = model!.embeddings!;
    const embedded = await indexEmbeddings(db, embedder);
    expect(embedded).toBeGreaterThanOrEqual(10);
    expect(await indexEmbeddings(db, embedder)).toBe(0); // nothing stale the second time
    expect(fake.requests.some((r) => r.path.endsWith('/embeddings'))).toBe(true);

    const hits = await hybridSearch(db, 'globalprotect mac vpn', embedder, { limit: 3 });
    expect(hits[0]?.id).toBe('demo-vpn-mac');
  });
});

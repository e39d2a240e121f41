/**
 * Vector search in embedded mode (issue 14, item 3): PGlite loads pgvector, `kb import` with
 * OPENAI_EMBEDDINGS_MODEL embeds the articles (once: an unchanged re-import sends no request), a search
 * uses the stored vectors, and in a running embedded helpdesk `kb add` is embedded by the `kb-embed`
 * job; start-up says whether vector search is on.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, defaultAgentSettings } from '../../src/agents/llm/model.ts';
import { loadConfig } from '../../src/app/config.ts';
import { migrateToLatest, migratorFor } from '../../src/app/migrate.ts';
import type { Db } from '../../src/core/db.ts';
import { searchArticles } from '../../src/core/kb/kb.repository.ts';
import { hybridSearch, vectorSearchStatus } from '../../src/core/kb/kb.vectors.ts';
import { command, startTestApp } from '../support/app.ts';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.ts';
import { capturedLogger } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-kb-embed-'));
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  // The "model" knows what full-text search cannot: a notebook is a laptop, an accu a battery.
  fake.synonyms = { notebook: 'laptop', accu: 'battery' };
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const embeddingsSettings = () => ({
  OPENAI_API_KEY: 'sk-test-not-a-real-key',
  OPENAI_BASE_URL: fake.baseURL,
  OPENAI_EMBEDDINGS_MODEL: 'text-embedding-3-small',
});

const embeddingRequests = () => fake.requests.filter((r) => r.path.endsWith('/embeddings'));

/** The real CLI, asynchronously: the fake server answers from this process meanwhile. */
function helpdesk(
  dataDir: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['bin/helpdesk.js', ...args], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        REDIS_URL: '',
        LOG_LEVEL: 'warn',
        AZURE_OPENAI_API_KEY: '',
        AZURE_OPENAI_ENDPOINT: '',
        AZURE_OPENAI_DEPLOYMENT: '',
        ...embeddingsSettings(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Opens the data directory the CLI left, with pgvector, through the same pg + Kysely code. */
async function withEmbedded<T>(dataDir: string, fn: (db: Db) => Promise<T>, withVector = true): Promise<T> {
  const pglite = await PGlite.create({
    dataDir: join(dataDir, 'pgdata'),
    ...(withVector ? { extensions: { vector } } : {}),
  });
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 });
  await server.start();
  const port = (server as unknown as { port: number }).port;
  const pool = new pg.Pool({
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    max: 1,
  });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) as Db;
  try {
    return await fn(db);
  } finally {
    await db.destroy();
    await server.stop();
    await pglite.close();
  }
}

describe('helpdesk kb import with OPENAI_EMBEDDINGS_MODEL on the embedded database', () => {
  const dataDir = join(dir, 'cli');
  const folder = join(dir, 'articles');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'battery.md'),
    '# Replace a laptop battery\n\nOrder a new battery for the laptop in the IT shop.\n',
  );
  writeFileSync(
    join(folder, 'proxy.md'),
    '# Configure the web proxy\n\nSet the proxy to proxy.example:8080.\n',
  );
  writeFileSync(
    join(folder, 'wifi.md'),
    '# Join the office Wi-Fi\n\nPick the network Corp and sign in with your account.\n',
  );

  it('embeds the articles once, says so, and a search uses the vectors', async () => {
    const first = await helpdesk(dataDir, 'kb', 'import', folder);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('imported 3, updated 0, unchanged 0, skipped 0');
    expect(first.stdout).toContain('vector search: on, with text-embedding-3-small');
    expect(first.stdout).toContain('embedded 3 articles for vector search');
    const sent = embeddingRequests();
    expect(sent.length).toBeGreaterThan(0);
    // One batch for the three articles, as floats.
    expect(sent.flatMap((r) => r.body.input)).toHaveLength(3);
    for (const r of sent) expect(r.body.encoding_format).toBe('float');

    // Unchanged articles: no embedding request at all.
    const again = await helpdesk(dataDir, 'kb', 'import', folder);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('imported 0, updated 0, unchanged 3, skipped 0');
    expect(again.stdout).toContain('embedded 0 articles');
    expect(embeddingRequests()).toHaveLength(sent.length);

    // One article changed: only that one is embedded again.
    writeFileSync(
      join(folder, 'proxy.md'),
      '# Configure the web proxy\n\nThe proxy is now proxy.example:3128.\n',
    );
    const edited = await helpdesk(dataDir, 'kb', 'import', folder);
    expect(edited.stdout).toContain('embedded 1 articles');
    expect(
      embeddingRequests()
        .slice(sent.length)
        .flatMap((r) => r.body.input),
    ).toEqual([expect.stringContaining('proxy.example:3128')]);

    await withEmbedded(dataDir, async (db) => {
      const stored = await sql<{ article_id: string; dims: number }>`
        select article_id, vector_dims(embedding) as dims from kb_embeddings order by article_id`.execute(db);
      expect(stored.rows).toEqual([
        { article_id: 'battery', dims: 16 },
        { article_id: 'proxy', dims: 16 },
        { article_id: 'wifi', dims: 16 },
      ]);
      // No word in common with any article: full-text search finds nothing, the vectors find it.
      expect(await searchArticles(db, 'notebook accu')).toEqual([]);
      const embedder = createModel({ ...defaultAgentSettings, ...embeddingsSettings() })!.embeddings!;
      const hits = await hybridSearch(db, 'notebook accu', embedder, { limit: 3 });
      expect(hits[0]?.id).toBe('battery');
    });
  }, 240_000);
});

describe('an embedded database created before PGlite loaded pgvector', () => {
  it('gets kb_embeddings from the next migration, and start-up says why vectors were off before', async () => {
    const dataDir = join(dir, 'old');
    mkdirSync(dataDir, { recursive: true });
    const embedder = createModel({ ...defaultAgentSettings, ...embeddingsSettings() })!.embeddings!;
    await withEmbedded(
      dataDir,
      async (db) => {
        // A database as the release before this one left it: migrated up to the migration before
        // the new one, and the knowledge migration skipped kb_embeddings (no pgvector loaded then).
        const before = await (await migratorFor(db)).migrateTo('2026_12_08_0900_delivery_retries');
        expect(before.error).toBeUndefined();
        expect(await vectorSearchStatus(db, embedder)).toEqual({
          on: false,
          reason: 'this Postgres has no pgvector extension',
        });
      },
      false,
    );
    await withEmbedded(dataDir, async (db) => {
      expect(await vectorSearchStatus(db, undefined)).toMatchObject({
        on: false,
        reason: /OPENAI_EMBEDDINGS_MODEL/,
      });
      // The new migration runs first, then the later ones of this release.
      expect((await migrateToLatest(db)).applied[0]).toBe('2026_12_08_0910_kb_embeddings_embedded');
      expect(await vectorSearchStatus(db, embedder)).toMatchObject({ on: true });
    });
  }, 120_000);
});

describe('a running embedded helpdesk with an embeddings model', () => {
  it('says vector search is on at start-up and embeds an article added with `kb add` through the kb-embed job', async () => {
    const captured = capturedLogger();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: join(dir, 'app'),
      DATABASE_URL: '',
      REDIS_URL: '',
      PORT: '0',
      HOST: '127.0.0.1',
      CONSOLE: 'false',
      HELPDESK_ADMINS: 'root@example.com',
      ...embeddingsSettings(),
    });
    const app = await startTestApp({ config, http: false, log: captured.log });
    try {
      expect(captured.lines.join('\n')).toContain('vector search: on, with text-embedding-3-small');
      const before = embeddingRequests().length;
      await app.accept(
        command('root', 'kb add Reset the notebook accu | Hold the power button for 30 seconds.'),
      );
      await app.idle();
      expect(app.output()).toMatch(/Added “Reset the notebook accu”/);
      // The job runs after the command's commit; wait for its row (no time is asserted).
      let rows: Array<{ article_id: string }> = [];
      for (let i = 0; i < 400 && rows.length === 0; i++) {
        rows = (await sql<{ article_id: string }>`select article_id from kb_embeddings`.execute(app.deps.db))
          .rows;
        if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(rows).toEqual([{ article_id: expect.stringMatching(/^reset-the-notebook-accu-/) }]);
      expect(embeddingRequests().length).toBeGreaterThan(before);
    } finally {
      await app.close();
    }
  }, 240_000);
});

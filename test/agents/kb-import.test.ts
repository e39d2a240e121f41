import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db.ts';
import { ensureDemoKnowledgeBase } from '../../src/core/kb/kb.demo.ts';
import { importArticles, readArticles } from '../../src/core/kb/kb.import.ts';
import { getArticle, searchArticles } from '../../src/core/kb/kb.repository.ts';
import { createAgentsDatabase } from './support.ts';

let db: Db;
let close: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  ({ db, close } = await createAgentsDatabase());
  dir = await mkdtemp(join(tmpdir(), 'kb-import-'));
});

afterAll(async () => {
  await close?.();
  await rm(dir, { recursive: true, force: true });
});

describe('kb import', () => {
  it('imports a Markdown folder: title from front matter or the first heading, id from the path', async () => {
    const folder = join(dir, 'md');
    await mkdir(join(folder, 'network'), { recursive: true });
    await writeFile(
      join(folder, 'network', 'proxy.md'),
      '# Configure the web proxy\n\nSet the proxy to proxy.example:8080.\n',
    );
    await writeFile(
      join(folder, 'badge.md'),
      '---\nid: facilities-badge\ntitle: Replace a lost badge\ntags: [badge, facilities]\n---\nAsk reception for a temporary badge.\n',
    );
    await writeFile(join(folder, 'untitled.md'), 'Just some text without any heading.\n');
    await writeFile(join(folder, 'broken.md'), '---\ntitle: [unclosed\n---\nbody\n');
    await writeFile(join(folder, 'notes.txt'), 'ignored: not markdown');

    const summary = await importArticles(db, await readArticles(folder), new Date());
    expect(summary.imported).toBe(2);
    expect(summary.skipped.map((s) => s.where).sort()).toEqual(['broken.md', 'untitled.md']);
    expect(summary.skipped.find((s) => s.where === 'untitled.md')?.reason).toMatch(/no title/);
    expect(await getArticle(db, 'network/proxy')).toMatchObject({
      title: 'Configure the web proxy',
      status: 'published',
    });
    const badge = await getArticle(db, 'facilities-badge');
    expect(badge?.tags).toEqual(['badge', 'facilities']);
    expect(badge?.body).toBe('Ask reception for a temporary badge.');
  });

  it('imports JSONL, reporting malformed lines and keeping every good one; a re-import updates by id', async () => {
    const file = join(dir, 'articles.jsonl');
    const lines = [
      JSON.stringify({
        id: 'j1',
        title: 'Reset Okta MFA',
        body_markdown: 'Use the Okta dashboard.',
        tags: ['okta'],
      }),
      '{"id": "j2", "title": "broken json"',
      JSON.stringify({
        id: 'j3',
        page_title: 'Laptops',
        section_title: 'Returning a laptop',
        body_markdown: 'Ship it back.',
      }),
      JSON.stringify({ id: 'j4', title: 'No body here' }),
      '[1, 2, 3]',
      JSON.stringify({
        id: 'j5',
        title: 'Teams status',
        body: 'Set your status.',
        url: 'https://support.example/teams',
      }),
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const first = await importArticles(db, await readArticles(file), new Date());
    expect(first).toMatchObject({ imported: 3, updated: 0, unchanged: 0 });
    expect(first.skipped).toEqual([
      { where: 'articles.jsonl:2', reason: 'not valid JSON' },
      { where: 'articles.jsonl:4', reason: 'empty body' },
      { where: 'articles.jsonl:5', reason: 'not a JSON object' },
    ]);
    expect((await getArticle(db, 'j3'))?.title).toBe('Laptops: Returning a laptop');

    lines[0] = JSON.stringify({
      id: 'j1',
      title: 'Reset Okta MFA',
      body_markdown: 'Use the Okta admin dashboard.',
    });
    await writeFile(file, `${lines.join('\n')}\n`);
    const second = await importArticles(db, await readArticles(file), new Date());
    expect(second).toMatchObject({ imported: 0, updated: 1, unchanged: 2 });
    expect((await getArticle(db, 'j1'))?.body).toBe('Use the Okta admin dashboard.');
  });

  it('imports CSV with quoted multi-line bodies and skips rows it cannot read', async () => {
    const file = join(dir, 'articles.csv');
    await writeFile(
      file,
      [
        'id,title,body,tags',
        'c1,Map a network drive,"Open Explorer.',
        'Choose Map network drive.",network;drive',
        'c2,,Body without a title,',
        'c3,Unclosed quote,"this never ends,x',
      ].join('\n'),
    );
    const items = await readArticles(file);
    const summary = await importArticles(db, items, new Date());
    expect(summary.imported).toBe(1);
    expect(summary.skipped.length).toBeGreaterThanOrEqual(2);
    expect(summary.skipped.some((s) => /no title/.test(s.reason))).toBe(true);
    const c1 = await getArticle(db, 'c1');
    expect(c1?.body).toBe('Open Explorer.\nChoose Map network drive.');
    expect(c1?.tags).toEqual(['network', 'drive']);
  });

  it('refuses a file type it does not know', async () => {
    const file = join(dir, 'articles.xml');
    await writeFile(file, '<xml/>');
    await expect(readArticles(file)).rejects.toThrow(/unsupported file type/);
  });
});

describe('kb search on Postgres', () => {
  it('loads the demo knowledge base once and finds articles by meaning-bearing words', async () => {
    const loaded = await ensureDemoKnowledgeBase(db, new Date());
    // Articles already exist from the imports above, so the demo set is not loaded over them.
    expect(loaded).toBeNull();
    const demo = await importArticles(
      db,
      await readArticles(join(import.meta.dirname, '../../kb/demo'), 'demo'),
      new Date(),
    );
    expect(demo.imported).toBeGreaterThanOrEqual(10);

    const [top] = await searchArticles(db, 'how do I set up VPN on my Mac?');
    expect(top).toMatchObject({ id: 'demo-vpn-mac', allTerms: true, coverage: 1 });
    const [printer] = await searchArticles(db, 'print jobs stuck in the queue');
    expect(printer?.id).toBe('demo-printer-queue');
    expect(await searchArticles(db, 'zebra giraffe savannah')).toEqual([]);
  });

  it('leaves drafts out of search', async () => {
    await importArticles(
      db,
      [
        {
          ok: true,
          where: 'x',
          article: { id: 'draft-1', title: 'Secret draft about quasars', body: 'quasars', status: 'draft' },
        },
      ],
      new Date(),
    );
    expect(await searchArticles(db, 'quasars')).toEqual([]);
    expect((await searchArticles(db, 'quasars', { status: 'draft' }))[0]?.id).toBe('draft-1');
  });
});

describe('the demo knowledge base', () => {
  it('loads once into an empty knowledge base and stays away once an admin has emptied it', async () => {
    const fresh = await createAgentsDatabase();
    try {
      const first = await ensureDemoKnowledgeBase(fresh.db, new Date());
      expect(first?.imported).toBeGreaterThanOrEqual(10);
      await fresh.db.deleteFrom('kb_articles').execute();
      expect(await ensureDemoKnowledgeBase(fresh.db, new Date())).toBeNull();
      expect(await searchArticles(fresh.db, 'vpn')).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

/** `helpdesk eval` and `helpdesk kb import` through the real CLI, offline, on a throw-away embedded database. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-cli-'));
const env = {
  ...process.env,
  DATA_DIR: join(dir, 'data'),
  DATABASE_URL: '',
  REDIS_URL: '',
  LOG_LEVEL: 'warn',
  // Offline whatever the developer's environment says.
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  AZURE_OPENAI_API_KEY: '',
  AZURE_OPENAI_ENDPOINT: '',
  AZURE_OPENAI_DEPLOYMENT: '',
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function helpdesk(...args: string[]) {
  const result = spawnSync('node', ['bin/helpdesk.js', ...args], {
    env,
    encoding: 'utf8',
    timeout: 90_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ...result, lines: result.stdout.trim().split('\n') };
}

describe('helpdesk eval <csv> --json', () => {
  it('ends stdout with one JSON line of the scores and prints the confusion matrix on stderr', () => {
    const csv = join(dir, 'labelled.csv');
    writeFileSync(
      csv,
      [
        'id,text,category,priority,intent,notes',
        '1,my laptop screen is cracked,hardware,P3,incident,extra columns are ignored',
        '2,how do I set up VPN on my Mac?,network,P4,question,',
        '3,I am locked out of my account after too many password attempts,access,P2,incident,',
        '4,"the printer on floor 3 keeps jamming, paper everywhere",printing,P3,incident,',
        '5,I clicked a link in a suspicious email asking for my login,security,P2,incident,',
      ].join('\n'),
    );
    const run = helpdesk('eval', csv, '--json');
    expect(run.status, run.stderr).toBe(0);
    const scores = JSON.parse(run.lines.at(-1)!);
    expect(scores).toMatchObject({
      n: 5,
      category: { accuracy: expect.any(Number), macro_f1: expect.any(Number) },
      priority: { accuracy: expect.any(Number), macro_f1: expect.any(Number) },
      intent: { accuracy: expect.any(Number), macro_f1: expect.any(Number) },
      latency_ms: { p50: expect.any(Number), p95: expect.any(Number) },
      llm_calls: 0,
    });
    // Only labelled fields are scored.
    expect(scores).not.toHaveProperty('language');
    expect(scores.category.accuracy).toBeGreaterThanOrEqual(0);
    expect(scores.category.accuracy).toBeLessThanOrEqual(1);
    expect(run.stderr).toContain('category confusion (rows = expected, columns = predicted)');
    const header = run.stderr.split('\n').find((line) => /^\s+access\s/.test(line));
    expect(header?.trim().split(/\s+/)).toEqual(
      expect.arrayContaining(['access', 'hardware', 'network', 'printing', 'security']),
    );
  });
});

describe('helpdesk kb import <folder>', () => {
  const folder = join(dir, 'articles');
  mkdirSync(folder, { recursive: true });
  const write = (name: string, content: string) => writeFileSync(join(folder, name), content);

  it('reports imported and skipped files with their reasons, then updates instead of duplicating', async () => {
    write('proxy.md', '# Configure the web proxy\n\nSet the proxy to proxy.example:8080.\n');
    write('badge.md', '---\nid: facilities-badge\ntitle: Replace a lost badge\n---\nAsk reception.\n');
    write('broken.md', '---\ntitle: [unclosed\n---\nbody\n');
    write('untitled.md', 'Just some text without any heading.\n');

    const first = helpdesk('kb', 'import', folder);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('imported 2, updated 0, unchanged 0, skipped 2');
    expect(first.stdout).toMatch(/skipped broken\.md: front matter is not valid YAML/);
    expect(first.stdout).toMatch(/skipped untitled\.md: no title/);

    const again = helpdesk('kb', 'import', folder);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('imported 0, updated 0, unchanged 2, skipped 2');

    write('proxy.md', '# Configure the web proxy\n\nThe proxy is now proxy.example:3128.\n');
    const edited = helpdesk('kb', 'import', folder);
    expect(edited.stdout).toContain('imported 0, updated 1, unchanged 1, skipped 2');

    const db = await PGlite.create({ dataDir: join(env.DATA_DIR, 'pgdata') });
    try {
      const rows = await db.query<{ id: string; body: string }>(
        'select id, body from kb_articles order by id',
      );
      expect(rows.rows).toEqual([
        { id: 'facilities-badge', body: 'Ask reception.' },
        { id: 'proxy', body: 'The proxy is now proxy.example:3128.' },
      ]);
    } finally {
      await db.close();
    }
    // Three CLI runs, each opening the embedded database: minutes on a loaded two-core machine.
  }, 240_000);
});

/**
 * Agents benchmark, offline: local-model training time, triage latency (guard + classifier) over
 * the dev tickets, and knowledge-base import and search latency on the shared 581+68-article
 * knowledge bases when present (the demo KB otherwise). Prints one JSON line per measurement.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLabelledCsv } from '../src/agents/eval.ts';
import { redact } from '../src/agents/guard.ts';
import { trainLocalTriage } from '../src/agents/local/local-triage.ts';
import { openDatabase } from '../src/app/database.ts';
import { migrateToLatest } from '../src/app/migrate.ts';
import { demoKnowledgeBaseDir } from '../src/core/kb/kb.demo.ts';
import { type ImportItem, importArticles, readArticles } from '../src/core/kb/kb.import.ts';
import { searchArticles } from '../src/core/kb/kb.repository.ts';
import { dropSchema, testConfig } from '../test/support/db.ts';

const SHARED = join(import.meta.dirname, '../../shared/data');
const QUERIES = [
  'how do I set up VPN on my Mac?',
  'outlook keeps asking for my password',
  'teams meeting no audio from headset',
  'onedrive not syncing files',
  'office activation error',
  'reset my 2fa on a new phone',
  'shared mailbox not showing in outlook',
  'cannot install office on windows',
  'print queue stuck',
  'laptop very slow after update',
];

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 1000) / 1000;
  return { n: samples.length, p50_ms: at(0.5), p95_ms: at(0.95), max_ms: at(1) };
}

const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function benchTriage() {
  const started = performance.now();
  const model = trainLocalTriage();
  print({ bench: 'agents.train', ms: Math.round(performance.now() - started) });
  const csv = join(SHARED, 'tickets-dev.csv');
  const texts = existsSync(csv)
    ? parseLabelledCsv(readFileSync(csv, 'utf8')).map((r) => r.text)
    : QUERIES.flatMap((q) => [q, q.toUpperCase()]);
  for (const text of texts.slice(0, 50)) model.triage(redact(text).text); // warm-up
  const samples = texts.map((text) => {
    const t0 = performance.now();
    model.triage(redact(text).text);
    return performance.now() - t0;
  });
  print({
    bench: 'agents.triage.offline',
    source: existsSync(csv) ? 'tickets-dev.csv' : 'builtin',
    ...stats(samples),
  });
}

/** The guard on hostile input: its time must grow linearly with the text (issue 13, item 9). */
function benchGuard() {
  const shapes: Record<string, string> = {
    'unbroken letters': 'a',
    'unbroken digits': '1',
    'unbroken base64': 'aB3+',
    'spaced digits': '1 ',
    'email-like': 'a.b@c ',
    'password words': 'password ',
    'open quotes': 'pw: "a ',
  };
  for (const chars of [10_000, 40_000, 160_000]) {
    for (const [shape, unit] of Object.entries(shapes)) {
      const text = unit.repeat(Math.ceil(chars / unit.length));
      const t0 = performance.now();
      redact(text);
      print({
        bench: 'agents.guard.hostile',
        shape,
        chars,
        ms: Math.round((performance.now() - t0) * 10) / 10,
      });
    }
  }
}

async function benchSearch() {
  const config = testConfig({}, 'postgres');
  const database = await openDatabase(config, { poolSize: 2 });
  try {
    const outcome = await migrateToLatest(database.db);
    if (outcome.error) throw outcome.error;
    const files = ['ms-officedocs-support.jsonl', 'gitlab-it-selfhelp.jsonl'].map((f) =>
      join(SHARED, 'kb', f),
    );
    const present = files.filter((f) => existsSync(f));
    const items: ImportItem[] = [];
    for (const file of present) items.push(...(await readArticles(file)));
    const demo = demoKnowledgeBaseDir();
    if (demo) items.push(...(await readArticles(demo, 'demo')));
    const importStart = performance.now();
    const summary = await importArticles(database.db, items, new Date());
    print({
      bench: 'agents.kb.import',
      articles: summary.imported,
      skipped: summary.skipped.length,
      ms: Math.round(performance.now() - importStart),
    });
    for (const q of QUERIES) await searchArticles(database.db, q); // warm-up
    const samples: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const q of QUERIES) {
        const t0 = performance.now();
        await searchArticles(database.db, q, { limit: 4 });
        samples.push(performance.now() - t0);
      }
    }
    print({ bench: 'agents.kb.search.fulltext', articles: summary.imported, ...stats(samples) });
  } finally {
    await database.close();
    await dropSchema(config.DATABASE_SCHEMA);
  }
}

export async function run(): Promise<void> {
  await benchTriage();
  benchGuard();
  await benchSearch();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

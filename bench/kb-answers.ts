/**
 * Calibrates the knowledge agent's answer decision (ANSWER_THRESHOLD and ANSWER_LEAD in
 * src/agents/knowledge.ts) on a question file, offline, without the router's triage:
 *
 *   node bin/run-ts.js bench/kb-answers.ts --questions eval/kb-questions.jsonl --split tune \
 *     --source ../shared/data/kb/gitlab-it-selfhelp.jsonl --source ../shared/data/kb/ms-officedocs-support.jsonl
 *
 * Imports the sources into an in-memory PGlite, retrieves once per question, then sweeps
 * the threshold and the lead over the runner-up: per setting, how many questions would be answered
 * with the right article (correct), with another one (wrong), or not at all (abstained). Tune on the
 * tuning split only; check the chosen setting on the held-out split, and end to end with
 * `helpdesk eval --kb`.
 */

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { parseKbQuestions } from '../src/agents/eval-kb.ts';
import { retrieve } from '../src/agents/knowledge.ts';
import type { LlmDeps } from '../src/agents/llm/structured.ts';
import { migrateToLatest } from '../src/app/migrate.ts';
import type { Db } from '../src/core/db.ts';
import { importArticles, readArticles } from '../src/core/kb/kb.import.ts';
import type { SearchHit } from '../src/core/kb/kb.repository.ts';

const { values } = parseArgs({
  options: {
    questions: { type: 'string', default: 'eval/kb-questions.jsonl' },
    split: { type: 'string' },
    source: { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false },
  },
});
if (!values.source?.length) {
  console.error('give at least one --source (a knowledge base file or folder)');
  process.exit(2);
}

const pglite = await PGlite.create({ extensions: { vector } });
const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 });
await server.start();
const port = (server as unknown as { port: number }).port;
const pool = new pg.Pool({
  connectionString: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
  max: 1,
});
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) }) as Db;
const migrated = await migrateToLatest(db);
if (migrated.error) throw migrated.error;
for (const source of values.source) await importArticles(db, await readArticles(source), new Date());

let questions = parseKbQuestions(readFileSync(values.questions, 'utf8'));
if (values.split) questions = questions.filter((q) => q.split === values.split);
const results: Array<{ expected: string | null; hits: SearchHit[] }> = [];
// The knowledge agent's own retrieval, offline (full-text search over the message and its sentences).
const offline = { db } as LlmDeps;
for (const q of questions)
  results.push({ expected: q.article_id, hits: await retrieve(offline, q.question, 4) });

if (values.verbose)
  for (const [i, r] of results.entries()) {
    const top = r.hits.slice(0, 2).map((h) => `${h.id} ${h.score.toFixed(3)}`);
    const mark = r.expected === null ? 'none' : r.hits[0]?.id === r.expected ? 'ok  ' : 'MISS';
    console.log(`${mark} ${questions[i]!.question}\n     expected ${r.expected}; got ${top.join(' | ')}`);
  }
const answerable = results.filter((r) => r.expected !== null);
const first = answerable.filter((r) => r.hits[0]?.id === r.expected).length;
const top4 = answerable.filter((r) => r.hits.some((h) => h.id === r.expected)).length;
console.log(
  `${questions.length} questions${values.split ? ` (split ${values.split})` : ''}: search ranks the right article first for ${first}/${answerable.length}, in the top 4 for ${top4}/${answerable.length}`,
);
const scoreOf = (hits: SearchHit[], i: number) => hits[i]?.score ?? 0;
console.log('threshold  lead   correct  wrong  abstained');
for (let t = 0.3; t <= 0.701; t += 0.025)
  for (const lead of [0, 0.025, 0.05, 0.075, 0.1]) {
    let correct = 0;
    let wrong = 0;
    for (const r of results) {
      const answered = scoreOf(r.hits, 0) >= t && scoreOf(r.hits, 0) - scoreOf(r.hits, 1) >= lead;
      if (!answered) continue;
      if (r.hits[0]!.id === r.expected) correct++;
      else wrong++;
    }
    console.log(
      `${t.toFixed(3).padStart(9)}  ${lead.toFixed(3)}  ${String(correct).padStart(7)}  ${String(wrong).padStart(5)}  ${String(results.length - correct - wrong).padStart(9)}`,
    );
  }
await db.destroy();
await server.stop();
await pglite.close();

/**
 * `helpdesk eval --kb <questions.jsonl> [--kb-source <file|dir>]...`: asks the real agent router each
 * question and scores its knowledge answers. With `--kb-source` the articles are imported into a
 * fresh, throw-away embedded database first (and embedded when an embeddings model is configured);
 * without it the configured database's knowledge base is used. Everything the run writes (recorded
 * answers, model calls) is rolled back. The last line of stdout is one JSON object of the scores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import {
  formatKbOutcome,
  formatKbReport,
  type KbOutcome,
  type KbQuestion,
  kbJsonLine,
  parseKbQuestions,
  scoreKb,
} from '../agents/eval-kb.ts';
import { retrieve } from '../agents/knowledge.ts';
import { createModel } from '../agents/llm/model.ts';
import { createAgentRouter } from '../agents/router.ts';
import type { Db } from '../core/db.ts';
import { importArticles, readArticles } from '../core/kb/kb.import.ts';
import { describeVectorSearch, indexEmbeddings, vectorSearchStatus } from '../core/kb/kb.vectors.ts';
import { countLlmCalls } from '../core/kb/llm-call.repository.ts';
import { fail, openCliDatabase } from './cli-setup.ts';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './database.ts';
import { createLogger } from './logger.ts';

export interface EvalKbOptions {
  kb: string;
  kbSource?: string[] | undefined;
  split?: string | undefined;
  verbose?: boolean | undefined;
}

const TABLES = new Set(['.jsonl', '.ndjson', '.csv']);

/**
 * The files a `--kb-source` names: a file as it is; a folder holding JSONL or CSV files, those
 * files (the shared data folders keep a README beside them); any other folder, as Markdown.
 */
async function sourcesOf(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const tables = (await readdir(path))
    .filter((name) => TABLES.has(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(path, name));
  return tables.length > 0 ? tables : [path];
}

/** A fresh embedded database in a temporary folder, migrated, and removed on close. */
async function openFresh(config: Config): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-eval-kb-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const database = await openCliDatabase({
    ...config,
    DATABASE_URL: undefined,
    DATA_DIR: dir,
    localMode: true,
  }).catch((error: unknown) => {
    remove();
    throw error;
  });
  const close = database.close.bind(database);
  database.close = async () => {
    await close();
    remove();
  };
  return database;
}

/** Rolls the transaction back once `fn` is done: the eval leaves nothing behind. */
class Rollback extends Error {}

async function inRolledBackTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await db.transaction().execute(async (tx) => {
      result = await fn(tx as unknown as Db);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result as T;
}

export async function runEvalKb(config: Config, options: EvalKbOptions): Promise<void> {
  const content = await readFile(options.kb, 'utf8').catch((error: NodeJS.ErrnoException) =>
    fail(new Error(`cannot read ${options.kb}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`)),
  );
  let questions: KbQuestion[] = [];
  try {
    questions = parseKbQuestions(content);
  } catch (error) {
    fail(new Error(`${options.kb}: ${(error as Error).message}`));
  }
  if (options.split) {
    questions = questions.filter((q) => q.split === options.split);
    if (questions.length === 0) fail(new Error(`${options.kb}: no questions with split "${options.split}"`));
  }
  const sources = (
    await Promise.all((options.kbSource ?? []).map((path) => sourcesOf(path).catch(fail)))
  ).flat();
  const items = [];
  for (const source of sources) items.push(...(await readArticles(source).catch(fail)));

  const model = createModel(config);
  const database = await (sources.length > 0 ? openFresh(config) : openCliDatabase(config)).catch(fail);
  try {
    if (sources.length > 0) {
      const summary = await importArticles(database.db, items, new Date());
      process.stderr.write(
        `imported ${summary.imported} articles from ${sources.length} source(s), skipped ${summary.skipped.length}\n`,
      );
    }
    const vectors = await vectorSearchStatus(database.db, model?.embeddings);
    process.stderr.write(`${describeVectorSearch(vectors)}\n`);
    if (vectors.on && model?.embeddings) await indexEmbeddings(database.db, model.embeddings);
    const unknown = await unknownArticles(database.db, questions);
    if (unknown.length > 0)
      process.stderr.write(
        `warning: ${unknown.length} expected article id(s) are not in the knowledge base, e.g. ${unknown[0]}\n`,
      );

    const { outcomes, llmCalls } = await inRolledBackTransaction(database.db, async (tx) => {
      const router = createAgentRouter({
        db: tx,
        clock: systemClock,
        log: createLogger({ ...config, LOG_LEVEL: 'warn' }),
        settings: config,
        model: model ?? null,
      });
      const retrieval = {
        db: tx,
        clock: systemClock,
        log: createLogger({ ...config, LOG_LEVEL: 'warn' }),
        model,
        settings: config,
      };
      const outcomes: KbOutcome[] = [];
      for (const [i, question] of questions.entries()) {
        const decision = await router.route({
          text: question.question,
          requesterId: 0,
          conversationId: 0,
          state: null,
        });
        const ranked = (await retrieve(retrieval, question.question, 4)).map((hit) => hit.id);
        const outcome: KbOutcome = {
          question,
          answered: decision.kind === 'answer' ? decision.articles.map((a) => a.id) : null,
          ranked,
        };
        outcomes.push(outcome);
        if (options.verbose) process.stderr.write(`${formatKbOutcome(outcome)}\n`);
        else if (process.stderr.isTTY) process.stderr.write(`\r${i + 1}/${questions.length}`);
      }
      if (!options.verbose && process.stderr.isTTY) process.stderr.write('\n');
      return { outcomes, llmCalls: await countLlmCalls(tx) };
    });
    const report = scoreKb(outcomes);
    process.stdout.write(`${formatKbReport(outcomes)}\n`);
    if (model) process.stdout.write(`model ${model.name}: ${llmCalls} LLM calls\n`);
    process.stdout.write(`${kbJsonLine(report)}\n`);
  } finally {
    await database.close();
  }
}

/** Expected ids the knowledge base does not hold (a typo, or the wrong --kb-source). */
async function unknownArticles(db: Db, questions: KbQuestion[]): Promise<string[]> {
  const ids = [...new Set(questions.map((q) => q.article_id).filter((id): id is string => !!id))];
  if (ids.length === 0) return [];
  const found = await db.selectFrom('kb_articles').select('id').where('id', 'in', ids).execute();
  const known = new Set(found.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

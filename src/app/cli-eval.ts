/**
 * `helpdesk eval <file.csv> [--json]`: scores triage on a labelled CSV (offline unless a model is
 * configured); `helpdesk eval --kb <questions.jsonl>` scores knowledge answers (`cli-eval-kb.ts`).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { parseLabelledCsv } from '../agents/eval.ts';
import { countLlmCalls, lastLlmError } from '../core/kb/llm-call.repository.ts';
import type { Triage } from '../core/routing/router.ts';
import { configOrExit, fail, openCliDatabase } from './cli-setup.ts';
import { systemClock } from './clock.ts';
import { createLogger } from './logger.ts';

export function addEvalCli(program: Command): void {
  program
    .command('eval')
    .argument('[file]', 'CSV with columns id,text and any of category,priority,intent,self_service,language')
    .option('--json', 'end with one JSON line of the scores')
    .option(
      '--kb <questions>',
      'score knowledge answers instead: JSONL of {"question","article_id"} (null: no article answers it)',
    )
    .option(
      '--kb-source <path>',
      'with --kb: import this knowledge base (file, or folder of .jsonl/.csv files or Markdown) into a fresh database first; repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--split <name>', 'with --kb: only the questions whose "split" is this')
    .option('--verbose', 'with --kb: one line per question on stderr')
    .description(
      'score triage (accuracy and macro-F1 per field, category confusion, latency, LLM calls), or with --kb knowledge answers (correct, wrong, abstained)',
    )
    .action(
      async (
        file: string | undefined,
        options: { json?: boolean; kb?: string; kbSource?: string[]; split?: string; verbose?: boolean },
      ) => {
        const config = configOrExit();
        if (options.kb) {
          const { runEvalKb } = await import('./cli-eval-kb.ts');
          return runEvalKb(config, { ...options, kb: options.kb });
        }
        if (!file) fail(new Error('eval needs a labelled CSV file, or --kb <questions.jsonl>'));
        // The agents load only when this command runs, not in every process the CLI starts.
        const [
          { evaluate, formatReport, parseLabelledCsv, toJsonLine },
          { redact },
          { createModel },
          { trainLocalTriage },
          { TRAINING_EXAMPLES },
          { trainingOverlap },
          { createAgentRouter },
          { triageSchema },
        ] = await Promise.all([
          import('../agents/eval.ts'),
          import('../agents/guard.ts'),
          import('../agents/llm/model.ts'),
          import('../agents/local/local-triage.ts'),
          import('../agents/local/training-data.ts'),
          import('../agents/local/training-overlap.ts'),
          import('../agents/router.ts'),
          import('../agents/triage-schema.ts'),
        ]);
        const content = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) =>
          fail(new Error(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`)),
        );
        let rows: ReturnType<typeof parseLabelledCsv> = [];
        try {
          rows = parseLabelledCsv(content);
        } catch (error) {
          fail(new Error(`${file}: ${(error as Error).message}`));
        }
        const model = createModel(config);
        let triage: (text: string) => Promise<Triage & { source?: 'llm' | 'local' }>;
        let llmCalls: (() => Promise<number>) | undefined;
        let lastError: () => Promise<string | undefined> = async () => undefined;
        let close = async () => {};
        if (model) {
          // Online: the real router path, so llm_calls and the cache are exercised and counted.
          const database = await openCliDatabase(config, { migrate: true }).catch(fail);
          const router = createAgentRouter({
            db: database.db,
            clock: systemClock,
            log: createLogger({ ...config, LOG_LEVEL: 'warn' }),
            settings: config,
            model,
          });
          triage = (text) => router.triage(text);
          llmCalls = () => countLlmCalls(database.db);
          lastError = () => lastLlmError(database.db);
          close = () => database.close();
        } else {
          const local = trainLocalTriage();
          triage = async (text) => triageSchema.parse(local.triage(redact(text).text));
        }
        let neverAnswered = false;
        try {
          const report = await evaluate(rows, triage, { ...(llmCalls ? { llmCalls } : {}), online: !!model });
          report.training_overlap = trainingOverlap(
            TRAINING_EXAMPLES.map((e) => e.text),
            rows.map((r) => r.text),
          );
          if (options.json) {
            process.stderr.write(`${formatReport(report)}\n`);
            process.stdout.write(`${toJsonLine(report)}\n`);
          } else process.stdout.write(`${formatReport(report)}\n`);
          // Scores of the local model under the language model's name would be a lie: say so and fail.
          if (model && report.sources.llm === 0) {
            const error = await lastError();
            process.stderr.write(
              `error: ${model.name} was asked for every row and never answered; all ${report.fallbacks} scores are the local model's${error ? ` (last error: ${error})` : ''}\n`,
            );
            neverAnswered = true;
          }
        } finally {
          await close();
        }
        // Explicitly: the embedded database's shutdown resets the exit code.
        if (neverAnswered) process.exit(1);
      },
    );
}

/** `helpdesk kb import <path>`: loads articles from a Markdown folder, JSONL or CSV, with a progress bar and a summary. */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type ImportSummary, importArticles, readArticles } from '../core/kb/kb.import.ts';
import { describeVectorSearch, indexEmbeddings, vectorSearchStatus } from '../core/kb/kb.vectors.ts';
import { configOrExit, fail, openCliDatabase } from './cli-setup.ts';

export function formatImportSummary(summary: ImportSummary, maxReasons = 20): string {
  const lines = [
    `imported ${summary.imported}, updated ${summary.updated}, unchanged ${summary.unchanged}, skipped ${summary.skipped.length}`,
  ];
  for (const skip of summary.skipped.slice(0, maxReasons))
    lines.push(`  skipped ${skip.where}: ${skip.reason}`);
  if (summary.skipped.length > maxReasons) lines.push(`  … and ${summary.skipped.length - maxReasons} more`);
  return lines.join('\n');
}

export function addKbCli(program: Command): void {
  const kb = program.command('kb').description('manage the knowledge base');
  kb.command('import')
    .argument('<path>', 'a folder of Markdown files, a .md, .jsonl or .csv file')
    .option('--source <name>', 'source label stored with the articles')
    .description('import or update articles (upsert by stable id); malformed rows are reported and skipped')
    .action(async (path: string, options: { source?: string }) => {
      const config = configOrExit();
      const items = await readArticles(path, options.source).catch(fail);
      const database = await openCliDatabase(config).catch(fail);
      try {
        const bar = new SingleBar({
          format: 'importing [{bar}] {value}/{total}',
          stream: process.stderr,
          noTTYOutput: false,
          hideCursor: true,
        });
        bar.start(items.length, 0);
        const summary = await importArticles(database.db, items, new Date(), (done) => bar.update(done));
        bar.stop();
        process.stdout.write(`${formatImportSummary(summary)}\n`);
        // What the kb-embed job does, done here: this one-shot command may run without any worker.
        // (LangChain's OpenAI client loads only here, not in every process the CLI starts.)
        const { createModel } = await import('../agents/llm/model.ts');
        const embeddings = createModel(config)?.embeddings;
        const vectors = await vectorSearchStatus(database.db, embeddings);
        process.stdout.write(`${describeVectorSearch(vectors)}\n`);
        if (embeddings && vectors.on) {
          const embedded = await indexEmbeddings(database.db, embeddings).catch((error: Error) => {
            process.stderr.write(`embeddings skipped: ${error.message}\n`);
            return 0;
          });
          process.stdout.write(`embedded ${embedded} articles for vector search\n`);
        }
      } finally {
        await database.close();
      }
    });
}

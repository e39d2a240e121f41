/** The demo knowledge base shipped in `kb/demo`, loaded on the first start so answers work out of the box. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DbOrTx } from '../db.ts';
import { type ImportSummary, importArticles, readArticles } from './kb.import.ts';
import { countArticles } from './kb.repository.ts';

/** `kb/demo` from a checkout (src/core/kb) or from a build (dist/src/core/kb). */
export function demoKnowledgeBaseDir(): string | undefined {
  for (const up of ['../../../kb/demo/', '../../../../kb/demo/']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

/** Loads the demo articles when the knowledge base is empty; does nothing afterwards. */
export async function ensureDemoKnowledgeBase(db: DbOrTx): Promise<ImportSummary | null> {
  if ((await countArticles(db)) > 0) return null;
  const dir = demoKnowledgeBaseDir();
  if (!dir) return null;
  return importArticles(db, await readArticles(dir, 'demo'));
}

/** The demo knowledge base shipped in `kb/demo`, loaded on the first start so answers work out of the box. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DbOrTx } from '../db.ts';
import { getSetting, setSetting } from '../settings/settings.ts';
import { type ImportSummary, importArticles, readArticles } from './kb.import.ts';
import { countArticles } from './kb.repository.ts';

/** Set once the first start has decided about the demo set, so it is never offered again. */
export const DEMO_KB_SETTING = 'kb-demo-loaded';

/** `kb/demo` from a checkout (src/core/kb) or from a build (dist/src/core/kb). */
export function demoKnowledgeBaseDir(): string | undefined {
  for (const up of ['../../../kb/demo/', '../../../../kb/demo/']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

/**
 * Loads the demo articles on the first run, when the knowledge base is still empty. The decision is
 * remembered in settings: later starts never re-import, so an admin's edits and deletions stay.
 */
export async function ensureDemoKnowledgeBase(db: DbOrTx, now: Date): Promise<ImportSummary | null> {
  if ((await getSetting(db, DEMO_KB_SETTING)) !== undefined) return null;
  const dir = demoKnowledgeBaseDir();
  if (!dir) return null;
  const summary =
    (await countArticles(db)) > 0 ? null : await importArticles(db, await readArticles(dir, 'demo'), now);
  await setSetting(db, DEMO_KB_SETTING, { at: now.toISOString(), imported: summary?.imported ?? 0 }, null);
  return summary;
}

import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../core/i18n/i18n.ts';
import { LANGUAGES } from '../core/i18n/languages.ts';
import { COMMANDS } from './registry.ts';

describe('help translations', () => {
  it('every translated command summary is one help lists (a changed summary is not left in English)', () => {
    const summaries = new Set(
      COMMANDS.flatMap((spec) => [spec.summary, ...Object.values(spec.helpFor ?? {}).map((h) => h?.summary)]),
    );
    const stale = LANGUAGES.flatMap((language) =>
      Object.keys(CATALOGUES[language].commandSummaries ?? {})
        .filter((summary) => !summaries.has(summary))
        .map((summary) => `${language}: ${summary}`),
    );
    expect(stale).toEqual([]);
  });
});

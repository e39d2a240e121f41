import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src', 'test', 'scripts', 'bin', 'bench', 'migrations'];
const BOT_FRAMEWORK = /^(botbuilder|botframework-|@microsoft\/agents-)/;

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? files(path) : /\.(ts|js|mjs|cjs)$/.test(path) ? [path] : [];
  });
}

function specifiers(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  const pattern =
    /from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
}

describe('the Bot Framework SDK boundary', () => {
  it('keeps every botbuilder / botframework-* import inside src/bots/teams, so a switch of SDK touches one folder', () => {
    const offenders = ROOTS.flatMap(files)
      .filter((file) => !file.startsWith(join('src', 'bots', 'teams')))
      .flatMap((file) =>
        specifiers(file)
          .filter((spec) => BOT_FRAMEWORK.test(spec))
          .map((spec) => `${file}: ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it('finds the imports it is looking for (the check is not vacuous)', () => {
    const inside = files(join('src', 'bots', 'teams')).flatMap(specifiers);
    expect(inside.some((spec) => BOT_FRAMEWORK.test(spec))).toBe(true);
  });
});

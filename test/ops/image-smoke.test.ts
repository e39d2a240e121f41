/**
 * scripts/image-smoke.sh performs the Dockerfile's instructions without a container engine; this
 * keeps the two in step: the same instructions, in the same order, with the same text. CI runs the
 * script itself (.ci/run).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Instruction {
  stage: string;
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments and the parser directive left out. */
function dockerfileInstructions(text: string): Instruction[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const instructions: Instruction[] = [];
  let stage = '';
  for (const line of logical) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`not an instruction: ${line}`);
    const [, keyword, args] = match as unknown as [string, string, string];
    if (keyword === 'FROM') stage = / AS (\S+)$/i.exec(args)?.[1] ?? '';
    instructions.push({ stage, keyword, args: args.replace(/\s+/g, ' ') });
  }
  return instructions;
}

/** The script's instruction lines (`RUN 'npm ci'` at the start of a line); RUN_PACKAGES stands for a RUN. */
function scriptInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let stage = '';
  for (const line of text.split('\n')) {
    const match =
      /^(FROM|WORKDIR|COPY|RUN|RUN_PACKAGES|ENV|USER|EXPOSE|HEALTHCHECK|ENTRYPOINT|CMD|ARG|LABEL) '(.*)'$/.exec(
        line,
      );
    if (!match) continue;
    const [, keyword, args] = match as unknown as [string, string, string];
    if (keyword === 'FROM') stage = / AS (\S+)$/i.exec(args)?.[1] ?? '';
    instructions.push({ stage, keyword: keyword === 'RUN_PACKAGES' ? 'RUN' : keyword, args });
  }
  return instructions;
}

const dockerfile = readFileSync('Dockerfile', 'utf8');
const script = readFileSync('scripts/image-smoke.sh', 'utf8');

describe('scripts/image-smoke.sh and the Dockerfile', () => {
  it('perform the same instructions in the same order, with the same text', () => {
    const fromDockerfile = dockerfileInstructions(dockerfile);
    expect(fromDockerfile.length).toBeGreaterThan(10);
    expect(scriptInstructions(script)).toEqual(fromDockerfile);
  });

  it('notices an instruction that differs, is missing or comes in another order', () => {
    const base = dockerfileInstructions(dockerfile);
    const changed = dockerfileInstructions(dockerfile.replace('npm ci --no-audit', 'npm install --no-audit'));
    expect(changed).not.toEqual(base);
    const dropped = dockerfileInstructions(dockerfile.replace(/^COPY kb .*$/m, ''));
    expect(dropped).not.toEqual(base);
    const copies = base.filter((i) => i.keyword === 'COPY');
    expect(copies.length).toBeGreaterThan(2);
    expect(
      scriptInstructions(
        script.replace("COPY 'bin ./bin'\nCOPY 'kb ./kb'", "COPY 'kb ./kb'\nCOPY 'bin ./bin'"),
      ),
    ).not.toEqual(base);
  });

  it('has a build stage that installs, compiles and prunes, and a run stage as a non-root user under tini', () => {
    const steps = dockerfileInstructions(dockerfile);
    const build = steps.filter((s) => s.stage === 'build').map((s) => `${s.keyword} ${s.args}`);
    expect(build).toEqual(
      expect.arrayContaining([
        'RUN npm ci --no-audit --no-fund',
        'RUN npm run build',
        'RUN npm prune --omit=dev --no-audit --no-fund',
      ]),
    );
    const run = steps.filter((s) => s.stage === 'run');
    expect(steps.filter((s) => s.keyword === 'FROM').map((s) => s.args)).toEqual([
      expect.stringMatching(/^node:(22|24)-bookworm-slim AS build$/),
      expect.stringMatching(/^node:(22|24)-bookworm-slim AS run$/),
    ]);
    expect(run.find((s) => s.keyword === 'USER')?.args).toBe('node');
    expect(run.find((s) => s.keyword === 'ENTRYPOINT')?.args).toMatch(/^\["\/usr\/bin\/tini", "--", /);
    expect(run.find((s) => s.keyword === 'ENV')?.args).toContain('WORKER_HEALTH_PORT=3001');
    // Nothing from the source tree but the compiled build reaches the run stage.
    expect(run.filter((s) => s.keyword === 'COPY' && /\bsrc\b/.test(s.args))).toEqual([]);
  });
});

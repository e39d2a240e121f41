/**
 * `helpdesk eval` with a model configured (issue 14, item 8): against a server that always fails it
 * reports every row as a fallback, says the scores are the local model's, and exits non-zero; against
 * one that answers it reports the language model as the source.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.ts';

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-eval-model-'));
let fake: FakeOpenAI;
const csv = join(dir, 'labelled.csv');

beforeAll(async () => {
  fake = await startFakeOpenAI();
  writeFileSync(
    csv,
    ['id,text,category', '1,my laptop screen is cracked,hardware', '2,vpn drops every hour,network'].join(
      '\n',
    ),
  );
});

afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI in a child process, asynchronously: the fake server lives in this process. */
function helpdesk(
  dataDir: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('node', ['bin/helpdesk.js', ...args], {
    env: {
      ...process.env,
      DATA_DIR: join(dir, dataDir),
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MODEL: 'gpt-4o-mini',
      AZURE_OPENAI_API_KEY: '',
      AZURE_OPENAI_ENDPOINT: '',
      AZURE_OPENAI_DEPLOYMENT: '',
      LLM_TIMEOUT_MS: '5000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('helpdesk eval with a model configured', () => {
  it('exits non-zero and counts every row as a fallback when the model never answers', async () => {
    fake.mode = 'error';
    const run = await helpdesk('failing', 'eval', csv, '--json');
    expect(run.status, run.stderr + run.stdout).toBe(1);
    const scores = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(scores).toMatchObject({ n: 2, source: { llm: 0, local: 2 }, fallbacks: 2 });
    expect(run.stderr).toContain('the local model on 2 (fallbacks');
    expect(run.stderr).toMatch(
      /gpt-4o-mini was asked for every row and never answered.*last error: http 500: upstream exploded/,
    );
    expect(run.stderr).not.toContain('New LangChain packages');
  }, 120_000);

  it('reports the language model as the source when it answers, and exits 0', async () => {
    fake.mode = 'ok';
    const run = await helpdesk('answering', 'eval', csv, '--json');
    expect(run.status, run.stderr).toBe(0);
    const scores = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(scores).toMatchObject({ n: 2, source: { llm: 2, local: 0 }, fallbacks: 0, llm_calls: 2 });
  }, 120_000);
});

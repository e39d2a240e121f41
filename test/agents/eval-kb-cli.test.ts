/**
 * `helpdesk eval --kb <questions.jsonl> --kb-source <file>` through the real CLI, offline: the
 * knowledge base goes into a fresh database (the configured DATA_DIR is never created), each question
 * goes through the router, and the last line is the JSON of the scores with exactly its keys.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'helpdesk-eval-kb-'));
const env = {
  ...process.env,
  DATA_DIR: join(dir, 'data'),
  DATABASE_URL: '',
  REDIS_URL: '',
  LOG_LEVEL: 'warn',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  AZURE_OPENAI_API_KEY: '',
  AZURE_OPENAI_ENDPOINT: '',
  AZURE_OPENAI_DEPLOYMENT: '',
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const articles = [
  {
    id: 'vpn-mac',
    title: 'Set up the GlobalProtect VPN on a Mac',
    body: 'Install GlobalProtect from Self Service, open it and connect to vpn.example.com with your account.',
  },
  {
    id: 'printer-toner',
    title: 'Replace the toner in the office printer',
    body: 'Open the front cover, pull out the old toner cartridge and push the new one in until it clicks.',
  },
  {
    id: 'mfa-new-phone',
    title: 'Move your authenticator app to a new phone',
    body: 'Before you wipe the old phone, add the account to the authenticator on the new phone and remove the old device.',
  },
];

const questions = [
  { question: 'how do I set up the globalprotect vpn on my mac?', article_id: 'vpn-mac', split: 'tune' },
  { question: 'how do I replace the toner in the printer', article_id: 'printer-toner', split: 'heldout' },
  { question: 'the coffee machine in the kitchen is broken', article_id: null, split: 'tune' },
  { question: 'can I get a standing desk for my home office', article_id: null, split: 'heldout' },
];

describe('helpdesk eval --kb', () => {
  it('imports the KB into a fresh database, answers from it, and ends with one JSON line of the scores', () => {
    const kb = join(dir, 'kb.jsonl');
    writeFileSync(kb, articles.map((a) => JSON.stringify(a)).join('\n'));
    const file = join(dir, 'questions.jsonl');
    writeFileSync(file, questions.map((q) => JSON.stringify(q)).join('\n'));

    const run = spawnSync('node', ['bin/helpdesk.js', 'eval', '--kb', file, '--kb-source', kb], {
      env,
      encoding: 'utf8',
      timeout: 200_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const scores = JSON.parse(lines.at(-1)!);
    expect(Object.keys(scores)).toEqual([
      'n',
      'answered',
      'correct',
      'wrong',
      'abstained',
      'correct_rate',
      'wrong_rate',
    ]);
    // The two how-tos are answered with their article; nothing answers the other two.
    expect(scores).toEqual({
      n: 4,
      answered: 2,
      correct: 2,
      wrong: 0,
      abstained: 2,
      correct_rate: 0.5,
      wrong_rate: 0,
    });
    expect(run.stdout).toContain('search ranks the right article first for 2/2');
    expect(run.stdout).toContain('split heldout: 2 questions');
    expect(run.stderr).toContain('imported 3 articles from 1 source(s)');
    expect(run.stderr).toContain('vector search off: no embeddings model');
    // A fresh database: the configured one was never opened.
    expect(existsSync(env.DATA_DIR)).toBe(false);

    // One split only, and an expected id that is not in the KB is named.
    writeFileSync(
      file,
      [...questions, { question: 'reset my badge', article_id: 'no-such-article', split: 'tune' }]
        .map((q) => JSON.stringify(q))
        .join('\n'),
    );
    const tune = spawnSync(
      'node',
      ['bin/helpdesk.js', 'eval', '--kb', file, '--kb-source', kb, '--split', 'tune'],
      { env, encoding: 'utf8', timeout: 200_000 },
    );
    expect(tune.status, tune.stderr).toBe(0);
    expect(JSON.parse(tune.stdout.trim().split('\n').at(-1)!)).toMatchObject({ n: 3 });
    expect(tune.stderr).toContain(
      '1 expected article id(s) are not in the knowledge base, e.g. no-such-article',
    );
  }, 420_000);

  it('refuses a question file with a malformed line, naming it', () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"question":"x","article_id":null}\n{"question":"y"}\n');
    const run = spawnSync('node', ['bin/helpdesk.js', 'eval', '--kb', file], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('bad.jsonl: line 2: "article_id" must be an article id or null');
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/runtime.ts';
import { chat, closeAll, consoleApp } from '../support/console.ts';
import { testConfig } from '../support/db.ts';

const config = testConfig();
let worker: App | undefined;
let app: App | undefined;
beforeAll(async () => {
  // The jobs run in another app, so the chat prints every message from its own outbox polling, in
  // the order they were written: the transcript is the same on every run.
  worker = await consoleApp(config, { worker: true });
  app = await consoleApp(config, { worker: false });
});
afterAll(() => closeAll([app, worker], config));

/** The README's console transcript: the block that starts with `$ npx helpdesk chat`. */
function readmeTranscript(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /```text\n(\$ npx helpdesk chat\n[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no console transcript starting with `$ npx helpdesk chat`');
  return block.trimEnd().split('\n');
}

/** Dates and times differ from run to run. */
const undated = (line: string) => line.replace(/\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?/g, 'YYYY-MM-DD hh:mm');

describe('the README console transcript', () => {
  it('is what a user sees, line for line', async () => {
    const [command, logs, ...shown] = readmeTranscript();
    expect(command).toBe('$ npx helpdesk chat');
    expect(logs).toBe('Logs go to .data/helpdesk.log');
    const typed = shown.filter((line) => line.startsWith('> ')).map((line) => line.slice(2));
    expect(typed.at(-1)).toBe('/quit');

    const printed = await chat(app!, 'alice', typed, { interactive: true });
    // A terminal shows what was typed after each prompt.
    let next = 0;
    const seen = printed.replace(/^> /gm, () => `> ${typed[next++]}\n`).trimEnd();
    expect(next).toBe(typed.length);
    const actual = seen.split('\n').map(undated);
    expect(actual.join('\n')).toBe(shown.map(undated).join('\n'));
  });
});

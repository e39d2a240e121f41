import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/runtime.ts';
import { chat, closeAll, consoleApp } from '../support/console.ts';
import { testConfig } from '../support/db.ts';

const ids = (printed: string) => [...printed.matchAll(/\(([cu]\d+)\)/g)].map((m) => m[1]);

describe('console runs on one database (one process after another)', () => {
  const config = testConfig();
  let app: App | undefined;
  beforeAll(async () => {
    app = await consoleApp(config, { worker: true });
  });
  afterAll(() => closeAll([app], config));

  it('numbers messages across runs, so a second run files a second ticket and can answer in the first run’s threads', async () => {
    const first = await chat(app!, 'alice', ['my laptop will not boot']);
    expect(first).toContain('filed ticket #1');
    const card = /\[#triage\] \((c\d+)\) 🤖 ┌ #1 · /.exec(first)?.[1];
    expect(card).toBeDefined();

    const second = await chat(app!, 'alice', ['my new monitor arrived with a cracked screen']);
    expect(second).toContain('filed ticket #2');
    expect(second).not.toContain('🗨️ alice: my new monitor arrived with a cracked screen');
    // No id of the first run names a message of the second.
    for (const id of ids(second)) expect(ids(first)).not.toContain(id);

    // A later run answers in a thread of an earlier one: the reply reaches #1's requester.
    const third = await chat(app!, 'agent-bob', [`>${card} Hold the power button for 30 seconds`]);
    expect(third).toMatch(
      /\[dm alice ↳ u\d+\] \(c\d+\) 🤖 💬 agent-bob \(IT\) on #1: Hold the power button for 30 seconds/,
    );
    const unknown = await chat(app!, 'agent-bob', ['>c999999 hello?']);
    expect(unknown).toContain('There is no message c999999.');
  });

  it('starts a new conversation every run: a clarifying question of an earlier run is not continued', async () => {
    const first = await chat(app!, 'erin', ['help']);
    expect(first).toMatch(/\?/);
    await chat(app!, 'erin', ['how do I clear a stuck print queue?']);
    const answers = await app!.deps.db
      .selectFrom('kb_answers')
      .select('question')
      .orderBy('id', 'desc')
      .execute();
    expect(answers[0]?.question).toBe('how do I clear a stuck print queue?');
  });
});

describe('Postgres mode with a separate worker', () => {
  const config = testConfig();
  let worker: App | undefined;
  let chatApp: App | undefined;
  beforeAll(async () => {
    // `helpdesk worker` runs every job; the chat process runs none.
    worker = await consoleApp(config, { worker: true });
    chatApp = await consoleApp(config, { worker: false });
  });
  afterAll(() => closeAll([chatApp, worker], config));

  it('shows the acknowledgement, the card and its updates in the chat, whichever process ran the jobs', async () => {
    const printed = await chat(chatApp!, 'alice', ['my laptop will not boot']);
    expect(printed).toMatch(/\[dm alice ↳ u\d+\] \(c\d+\) 🤖 Thanks, I've filed ticket #1/);
    expect(printed).toMatch(/\[#triage\] \(c\d+\) 🤖 ┌ #1 · /);

    const claimed = await chat(chatApp!, 'agent-bob', ['helpdesk claim #1']);
    expect(claimed).toMatch(/\[#triage\] \(c\d+ updated\) 🤖 ┌ #1 · [^\n]*\n│ Status: 🔧 Open/);
    expect(claimed).toContain('agent-bob from IT is looking at your ticket #1.');
    const pending = await worker!.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '!=', 'sent')
      .execute();
    expect(pending).toEqual([]);
  });
});

/**
 * Model-path benchmark against the local fake OpenAI-compatible server (issue 14, items 5 and 6):
 * model calls per message on a fixed realistic mix (bench/data/model-mix.json), and the worst-case
 * reply time with a dead provider (hanging, failing, refusing connections) against LLM_TIMEOUT_MS + 1 s.
 * Prints one JSON line per measurement.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgentRouter } from '../src/agents/router.ts';
import { systemClock } from '../src/app/clock.ts';
import { openDatabase } from '../src/app/database.ts';
import { createLogger } from '../src/app/logger.ts';
import { migrateToLatest } from '../src/app/migrate.ts';
import type { Db } from '../src/core/db.ts';
import { ensureDemoKnowledgeBase } from '../src/core/kb/kb.demo.ts';
import type { RouteInput } from '../src/core/routing/router.ts';
import { type FakeMode, startFakeOpenAI } from '../test/agents/fake-openai.ts';
import { dropSchema, testConfig } from '../test/support/db.ts';
import { freePort } from '../test/support/processes.ts';

const print = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const mix = JSON.parse(readFileSync(join(import.meta.dirname, 'data/model-mix.json'), 'utf8')) as {
  conversations: string[][];
};
const log = createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' });

/** Sends every conversation of the mix; returns the per-message reply times. */
async function runMix(db: Db, settings: Record<string, unknown>, tag: string): Promise<number[]> {
  const router = createAgentRouter({ db, clock: systemClock, log, settings });
  const times: number[] = [];
  for (const [c, conversation] of mix.conversations.entries()) {
    const { id } = await db
      .insertInto('conversations')
      .values({
        platform: 'console',
        tenant: 'bench',
        channel: `${tag}-${c}`,
        ref: JSON.stringify({ platform: 'console' }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    let state: RouteInput['state'] = null;
    for (const text of conversation) {
      const started = performance.now();
      const decision = await router.route({ text, requesterId: 0, conversationId: id, state });
      times.push(performance.now() - started);
      // What core keeps in the conversation after each kind of reply.
      state =
        decision.kind === 'answer'
          ? { answer: { inboundEventId: '1', articles: [] } }
          : decision.kind === 'clarify'
            ? decision.state
            : null;
    }
  }
  return times;
}

async function main() {
  const config = testConfig({}, 'postgres');
  const database = await openDatabase(config, { poolSize: 2 });
  const fake = await startFakeOpenAI();
  try {
    const outcome = await migrateToLatest(database.db);
    if (outcome.error) throw outcome.error;
    await ensureDemoKnowledgeBase(database.db, new Date());
    const base = { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.baseURL, LLM_CACHE_TTL_SECONDS: 3600 };

    // Calls per message: every chat-completion request the server saw, over every message sent.
    fake.mode = 'ok';
    fake.requests.length = 0;
    await database.db.deleteFrom('llm_cache').execute();
    const times = await runMix(database.db, { ...base, LLM_TIMEOUT_MS: 15_000 }, 'mix');
    const calls = fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    print({
      bench: 'agents.model.calls-per-message',
      conversations: mix.conversations.length,
      messages: times.length,
      calls,
      calls_per_message: Math.round((calls / times.length) * 1000) / 1000,
      target: 1.0,
    });

    // A dead provider: hanging, failing, and a port nobody listens on.
    const timeoutMs = 2000;
    const closedPort = await freePort();
    for (const mode of ['timeout', 'error', 'refused'] as const) {
      fake.mode = mode === 'refused' ? 'ok' : (mode as FakeMode);
      fake.requests.length = 0;
      // No cached answer may stand in for the dead provider.
      await database.db.deleteFrom('llm_cache').execute();
      const url = mode === 'refused' ? `http://127.0.0.1:${closedPort}/v1` : fake.baseURL;
      const samples = await runMix(
        database.db,
        { ...base, OPENAI_BASE_URL: url, LLM_TIMEOUT_MS: timeoutMs },
        mode,
      );
      const sorted = [...samples].sort((a, b) => a - b);
      const max = Math.round(sorted.at(-1)!);
      print({
        bench: 'agents.model.dead-provider',
        provider: mode === 'timeout' ? 'hangs' : mode === 'error' ? 'http 500' : 'connection refused',
        messages: samples.length,
        llm_timeout_ms: timeoutMs,
        p50_ms: Math.round(sorted[Math.floor(sorted.length / 2)]!),
        max_ms: max,
        limit_ms: timeoutMs + 1000,
        within_limit: max <= timeoutMs + 1000,
        calls: fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length,
      });
    }
  } finally {
    await fake.close();
    await database.close();
    await dropSchema(config.DATABASE_SCHEMA);
  }
}

await main();

/**
 * The model-answer cache is pruned on a schedule (issue 14, item 8): the hourly `prune-llm-cache`
 * job deletes rows past LLM_CACHE_TTL_SECONDS, which could never be served again, and keeps the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/app/jobs.ts';
import { writeLlmCache } from '../../src/core/kb/llm-call.repository.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ http: false, env: { LLM_CACHE_TTL_SECONDS: '600' } });
});

afterAll(async () => {
  await app?.close();
});

describe('llm_cache pruning', () => {
  it('deletes cached answers older than LLM_CACHE_TTL_SECONDS and keeps younger ones', async () => {
    const now = app.deps.clock.now().getTime();
    const entry = (key: string) => ({ key, purpose: 'triage', model: 'm', response: { ok: true } });
    await writeLlmCache(app.deps.db, entry('stale'), new Date(now - 601_000));
    await writeLlmCache(app.deps.db, entry('fresh'), new Date(now - 60_000));
    // The worker's own hourly run may get there first (its first run is at start); either way the job does it.
    const result = (await jobHandlers(app.deps)['prune-llm-cache']({}, { id: 'test', attempts: 0 })) as {
      deleted: number;
    };
    expect(result.deleted).toBeLessThanOrEqual(1);
    const keys = await app.deps.db.selectFrom('llm_cache').select('key').execute();
    expect(keys.map((k) => k.key)).toEqual(['fresh']);
  });
});

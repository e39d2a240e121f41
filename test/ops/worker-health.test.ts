/**
 * `helpdesk worker`'s own health port (WORKER_HEALTH_PORT) and the metrics behind the dashboard: a
 * worker built as the CLI builds it, on the real Postgres and on each queue backend, answers
 * /healthz, /readyz with the age of its last job, and /metrics with its job, delivery, LLM, queue
 * and backlog metrics once a message has gone through.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../src/app/runtime.ts';
import { createConsoleNotifier } from '../../src/bots/console/console.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../agents/fake-openai.ts';
import { message } from '../support/app.ts';
import { dropSchema, testConfig } from '../support/db.ts';

/** The value of one series in a Prometheus text exposition, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(['redis', 'postgres'] as const)('the worker health port (BullMQ on %s)', (backend) => {
  let app: App;
  let fake: FakeOpenAI;
  let base: string;
  const config = () => app.config;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const settings = testConfig(
      { OPENAI_API_KEY: 'sk-test-not-a-real-key', OPENAI_BASE_URL: fake.baseURL, LLM_TIMEOUT_MS: '5000' },
      backend,
    );
    app = await buildApp(settings, {
      worker: true,
      migrate: true,
      platforms: false,
      healthPort: 0,
      notifiers: [createConsoleNotifier(new PassThrough())],
    });
    base = app.healthAddress!;
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    if (app) await dropSchema(config().DATABASE_SCHEMA);
  });

  it('answers /healthz, and /readyz with no last job before the first one', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    // The recovery job runs at start, so a last job may already exist; either way the shape holds.
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ready', database: true, queue: true, migrations: 'up to date' });
    expect(body).toHaveProperty('lastJob');
  });

  it('reports the last job, deliveries, model calls, queue and backlog after a message is handled', async () => {
    await app.accept(message('alice', `my laptop will not boot (${backend})`));
    await app.idle();

    const ready = (await (await fetch(`${base}/readyz`)).json()) as {
      lastJob: { at: string; ageSeconds: number } | null;
    };
    expect(ready.lastJob).not.toBeNull();
    expect(ready.lastJob!.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(ready.lastJob!.ageSeconds).toBeLessThan(60);

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(sample(text, 'helpdesk_jobs_total{name="process-event",outcome="completed"}')).toBeGreaterThan(0);
    expect(sample(text, 'helpdesk_worker_last_job_timestamp_seconds')).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
    // The ticket's acknowledgement (the one message: no triage channel is set) is linked to its event.
    expect(sample(text, 'helpdesk_outbox_delivery_seconds_count{platform="console"}')).toBe(1);
    expect(sample(text, 'helpdesk_event_to_delivery_seconds_count{platform="console"}')).toBe(1);
    expect(sample(text, 'helpdesk_deliveries_total{platform="any",outcome="sent"}')).toBe(1);
    expect(sample(text, 'helpdesk_llm_calls_total{purpose="triage",outcome="ok"}')).toBe(1);
    expect(sample(text, 'helpdesk_llm_tokens_total{purpose="triage",kind="prompt"}')).toBeGreaterThan(0);
    expect(sample(text, 'helpdesk_llm_call_duration_seconds_count{purpose="triage"}')).toBe(1);
    for (const state of ['waiting', 'active', 'delayed', 'failed'])
      expect(sample(text, `helpdesk_queue_jobs{state="${state}"}`)).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'helpdesk_queue_oldest_waiting_seconds')).toBeGreaterThanOrEqual(0);
    // Idle now: nothing pending in the inbox or the outbox, and nothing failed.
    for (const table of ['inbox', 'outbox']) {
      expect(sample(text, `helpdesk_backlog{table="${table}",status="pending"}`)).toBe(0);
      expect(sample(text, `helpdesk_backlog{table="${table}",status="failed"}`)).toBe(0);
      expect(sample(text, `helpdesk_backlog_oldest_seconds{table="${table}"}`)).toBe(0);
    }
    expect(sample(text, 'helpdesk_tickets{status="new"}')).toBe(1);
    for (const check of ['database', 'queue', 'migrations', 'all'])
      expect(sample(text, `helpdesk_ready{check="${check}"}`)).toBe(1);
  });

  it('counts pending rows and the age of the oldest', async () => {
    // A row recorded a minute ago whose job was never queued (as after a crash before the enqueue).
    await app.deps.db
      .insertInto('inbound_events')
      .values({
        platform: 'console',
        event_id: `stuck-${backend}`,
        kind: 'message',
        payload: JSON.stringify({}),
        received_at: new Date(Date.now() - 60_000),
      } as never)
      .execute();
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(sample(text, 'helpdesk_backlog{table="inbox",status="pending"}')).toBe(1);
    expect(sample(text, 'helpdesk_backlog_oldest_seconds{table="inbox"}')).toBeGreaterThanOrEqual(59);
    await app.deps.db.deleteFrom('inbound_events').where('event_id', '=', `stuck-${backend}`).execute();
  });
});

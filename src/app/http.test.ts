import { describe, expect, it } from 'vitest';
import { silentLogger as log } from '../core/logger.ts';
import { createHttpServer } from './http.ts';
import { createMetrics } from './metrics.ts';

describe('/readyz', () => {
  it('answers 503 while migrations are pending, 200 once they are applied', async () => {
    let migrations = 'pending: run helpdesk migrate';
    const http = createHttpServer({
      log,
      metrics: createMetrics(),
      ready: async () => ({ database: true, queue: true, migrations }),
    });
    const pending = await http.inject({ method: 'GET', url: '/readyz' });
    expect(pending.statusCode).toBe(503);
    expect(pending.json()).toEqual({
      status: 'unavailable',
      database: true,
      queue: true,
      migrations: 'pending: run helpdesk migrate',
    });
    migrations = 'up to date';
    const ready = await http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', migrations: 'up to date' });
    await http.close();
  });
});

describe('ack latency', () => {
  it('is observed for the platform webhooks only, labelled by route and status', async () => {
    const metrics = createMetrics();
    const http = createHttpServer({
      log,
      metrics,
      ready: async () => ({ database: true, queue: true }),
    });
    http.post('/slack/events', async () => ({ ok: true }));
    http.post('/api/messages', async (_request, reply) => reply.code(401).send());
    await http.inject({ method: 'POST', url: '/slack/events?retry=1', payload: {} });
    await http.inject({ method: 'POST', url: '/api/messages', payload: {} });
    await http.inject({ method: 'GET', url: '/healthz' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/helpdesk_ack_duration_seconds_count\{route="\/slack\/events",status="200"\} 1/);
    expect(text).toMatch(/helpdesk_ack_duration_seconds_count\{route="\/api\/messages",status="401"\} 1/);
    expect(text).not.toMatch(/route="\/healthz"/);
    await http.close();
  });
});

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

import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from './metrics.ts';

/** `/readyz` answers 503 when its checks have not answered within this. */
const READY_WAIT_MS = 900;

export interface HttpOptions {
  log: Logger;
  metrics: Metrics;
  /**
   * Database and queue reachable? `migrations` is `up to date` when the schema is current; any other
   * value (`pending: run helpdesk migrate`) keeps the server unready.
   */
  ready: () => Promise<{ database: boolean; queue: boolean; migrations?: string }>;
  /** Refreshes gauges (ticket counts) before a scrape. */
  beforeScrape?: () => Promise<void>;
}

/** One HTTP server: health, readiness, metrics; platform adapters mount their routes on it. */
export function createHttpServer(options: HttpOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    // Answered within a second even when a dependency hangs (Redis away: commands wait for it).
    let timer: NodeJS.Timeout | undefined;
    const down = { database: false, queue: false };
    const checks: Awaited<ReturnType<HttpOptions['ready']>> = await Promise.race([
      options.ready().catch(() => down),
      new Promise<typeof down>((resolve) => {
        timer = setTimeout(() => resolve(down), READY_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    const ok = checks.database && checks.queue && (checks.migrations ?? 'up to date') === 'up to date';
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', ...checks });
  });
  app.get('/metrics', async (_request, reply) => {
    await options
      .beforeScrape?.()
      .catch((error) => options.log.warn({ err: error }, 'metrics refresh failed'));
    return reply
      .header('content-type', options.metrics.registry.contentType)
      .send(await options.metrics.registry.metrics());
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) options.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ error: status >= 500 ? 'internal error' : (error as Error).message });
  });
  return app;
}

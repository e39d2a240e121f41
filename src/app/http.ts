import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from './metrics.ts';

/** Readiness checks; anything beside the three booleans and strings is reported as it is. */
export type ReadyChecks = { database: boolean; queue: boolean; migrations?: string } & Record<
  string,
  unknown
>;

/** The platform webhooks whose time to acknowledge is measured (Slack wants it inside 3 s). */
const ACK_ROUTES = new Set(['/slack/events', '/api/messages']);

export interface HttpOptions {
  log: Logger;
  metrics: Metrics;
  /**
   * Database and queue reachable? `migrations` is `up to date` when the schema is current; any other
   * value (`pending: run helpdesk migrate`) keeps the server unready.
   */
  ready: () => Promise<ReadyChecks>;
  /** Refreshes gauges (ticket counts) before a scrape. */
  beforeScrape?: () => Promise<void>;
}

/**
 * One HTTP server: health, readiness, metrics; platform adapters mount their routes on it. The
 * worker's health port is the same server without platform routes.
 */
export function createHttpServer(options: HttpOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // Measured from the request's arrival (Fastify's onRequest) to the response being written.
  app.addHook('onResponse', async (request, reply) => {
    const route = request.url.split('?', 1)[0] ?? '';
    if (ACK_ROUTES.has(route))
      options.metrics.ackLatency.observe(
        { route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks: ReadyChecks = await options.ready().catch(() => ({ database: false, queue: false }));
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

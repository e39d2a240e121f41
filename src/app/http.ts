import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from '../core/logger.ts';
import { tracingEnabled } from '../core/tracing.ts';
import type { Metrics } from './metrics.ts';

/** `/readyz` answers 503 when its checks have not answered within this. */
const READY_WAIT_MS = 900;
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

/** The routes that receive platform events: each request starts (or continues) a trace. */
const TRACED_ROUTES = new Set(['/slack/events', '/api/messages']);

/**
 * A server span per platform request, parented on an incoming `traceparent` when a proxy sends
 * one. It is made active just before the handler (after the body is read, whose stream callbacks
 * would otherwise lose it), so the inbox insert and the job it enqueues join this trace.
 */
function traceRequests(app: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  const tracer = trace.getTracer('helpdesk');
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route && TRACED_ROUTES.has(route)) {
      const parent = propagation.extract(ROOT_CONTEXT, request.headers);
      const span = tracer.startSpan(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': route },
        },
        parent,
      );
      spans.set(request, span);
    }
    done();
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (!span) return done();
    context.with(trace.setSpan(context.active(), span), done);
  });
  const end = (request: FastifyRequest, status: number) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  app.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    end(request, 499);
    done();
  });
}

/** One HTTP server: health, readiness, metrics; platform adapters mount their routes on it. */
export function createHttpServer(options: HttpOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  if (tracingEnabled()) traceRequests(app);
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
    // Answered within a second even when a dependency hangs (Redis away: commands wait for it).
    let timer: NodeJS.Timeout | undefined;
    const down: ReadyChecks = { database: false, queue: false };
    const checks: ReadyChecks = await Promise.race([
      options.ready().catch(() => down),
      new Promise<ReadyChecks>((resolve) => {
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

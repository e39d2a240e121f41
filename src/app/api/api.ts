/** The REST API v1 on the process's HTTP server: ticket routes and their OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { packageVersion } from '../cli-setup.ts';
import type { Config } from '../config.ts';
import { openApiDocument } from './openapi.ts';
import { mountApi } from './route.ts';
import { ticketRoutes } from './tickets.routes.ts';

export async function mountRestApi(http: FastifyInstance, deps: CoreDeps, config: Config): Promise<void> {
  let document: unknown;
  await mountApi(http, {
    deps,
    rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
    routes: ticketRoutes,
    openapi: () => {
      document ??= openApiDocument(ticketRoutes, packageVersion());
      return document;
    },
  });
}

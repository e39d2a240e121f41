/**
 * How the REST API's routes are declared and mounted: one list of specs (method, path, scope, zod
 * shapes, handler) drives both fastify and the OpenAPI document. Every request under /api/v1 is
 * authenticated (Bearer key), rate limited and scope-checked before its body is even parsed, so a
 * request refused for any of these changes nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type ApiScope, authenticateApiKey, takeRequestToken } from '../../core/apikeys/apikey.service.ts';
import type { ApiKeyRow } from '../../core/apikeys/apikey.table.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { Person } from '../../core/people/people.service.ts';
import { type ProblemInput, sendProblem } from './problem.ts';

export const API_PREFIX = '/api/v1';

export interface RouteContext {
  deps: CoreDeps;
  actor: Person;
  key: ApiKeyRow;
  scopes: readonly string[];
  params: unknown;
  query: unknown;
  body: unknown;
}

export type ProblemAnswer = { problem: ProblemInput };
export type Answer = { status: number; body: unknown; headers?: Record<string, string> } | ProblemAnswer;

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH';
  /** OpenAPI style, below the prefix: `/tickets/{number}`. */
  path: string;
  operationId: string;
  summary: string;
  scope: ApiScope;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  ok: { status: number; description: string; schema: z.ZodType };
  handle(context: RouteContext): Promise<Answer>;
}

export interface MountApiOptions {
  deps: CoreDeps;
  rateLimitPerMinute: number;
  routes: readonly ApiRoute[];
  /** The OpenAPI document, served without a key. */
  openapi: () => unknown;
}

interface Authenticated {
  actor: Person;
  key: ApiKeyRow;
}

const authenticated = new WeakMap<FastifyRequest, Authenticated>();

const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;
const REALM = 'Bearer realm="helpdesk"';

/** What an invalid part of a request looks like to the client: each field and what is wrong. */
function invalid(where: 'path' | 'query' | 'body', error: z.ZodError): ProblemInput {
  const errors = error.issues.flatMap((issue) => {
    const path = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: `${path}.${key}`, message: 'unknown field' }));
    return [{ field: path, message: issue.message }];
  });
  return {
    status: 400,
    kind: 'invalid-request',
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  };
}

async function authenticate(
  options: MountApiOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: ApiScope,
) {
  const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (!presented)
    return sendProblem(request, reply, {
      status: 401,
      kind: 'unauthorized',
      detail: 'Send an API key as `Authorization: Bearer <key>` (create one with `helpdesk apikey create`).',
      headers: { 'www-authenticate': REALM },
    });
  const auth = await authenticateApiKey(options.deps.db, presented);
  if (!auth.ok)
    return sendProblem(request, reply, {
      status: 401,
      kind: 'unauthorized',
      detail: auth.reason === 'revoked' ? 'This API key was revoked.' : 'This API key is not valid.',
      headers: { 'www-authenticate': `${REALM}, error="invalid_token"` },
    });
  const rate = await takeRequestToken(options.deps.db, auth.key.id, options.rateLimitPerMinute);
  if (!rate.allowed)
    return sendProblem(request, reply, {
      status: 429,
      kind: 'rate-limited',
      detail: `This key may make ${options.rateLimitPerMinute} requests a minute; retry in ${rate.retryAfterSeconds} s.`,
      headers: { 'retry-after': String(rate.retryAfterSeconds) },
    });
  if (!auth.key.scopes.includes(scope))
    return sendProblem(request, reply, {
      status: 403,
      kind: 'insufficient-scope',
      detail: `This key lacks the ${scope} scope (it has ${auth.key.scopes.join(', ')}).`,
      headers: { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"` },
    });
  authenticated.set(request, { actor: auth.actor, key: auth.key });
  return undefined;
}

/** Mounts the routes under /api/v1 in their own fastify scope, with problem details for every error. */
export async function mountApi(http: FastifyInstance, options: MountApiOptions): Promise<void> {
  await http.register(
    async (api) => {
      api.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
        const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
        if (status >= 500) options.deps.log.error({ err: error }, 'api request failed');
        const json = status === 400 && (error instanceof SyntaxError || /JSON/.test(error.code ?? ''));
        return sendProblem(request, reply, {
          status,
          kind: json ? 'invalid-json' : status >= 500 ? 'internal' : 'invalid-request',
          detail:
            status >= 500
              ? 'Something went wrong on our side; nothing was changed unless the response says so. Try again.'
              : json
                ? `The body is not valid JSON: ${error.message}`
                : error.message,
        });
      });
      api.setNotFoundHandler((request, reply) =>
        sendProblem(request, reply, {
          status: 404,
          kind: 'not-found',
          detail: `No route ${request.method} ${request.url.split('?')[0]}; see ${API_PREFIX}/openapi.json.`,
        }),
      );
      api.get('/openapi.json', async () => options.openapi());
      for (const route of options.routes) {
        api.route({
          method: route.method,
          url: route.path.replace(/\{(\w+)\}/g, ':$1'),
          onRequest: (request, reply) => authenticate(options, request, reply, route.scope),
          handler: async (request, reply) => {
            const auth = authenticated.get(request);
            if (!auth) throw new Error('unauthenticated request reached a handler');
            const parsed: Record<'params' | 'query' | 'body', unknown> = {
              params: undefined,
              query: undefined,
              body: undefined,
            };
            for (const [part, where, schema] of [
              ['params', 'path', route.params],
              ['query', 'query', route.query],
              ['body', 'body', route.body],
            ] as const) {
              if (!schema) continue;
              const result = schema.safeParse(request[part] ?? (part === 'body' ? undefined : {}));
              if (!result.success) return sendProblem(request, reply, invalid(where, result.error));
              parsed[part] = result.data;
            }
            const answer = await route.handle({
              deps: options.deps,
              actor: auth.actor,
              key: auth.key,
              scopes: auth.key.scopes,
              ...parsed,
            });
            if ('problem' in answer) return sendProblem(request, reply, answer.problem);
            for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
            return reply.code(answer.status).send(answer.body);
          },
        });
      }
    },
    { prefix: API_PREFIX },
  );
}

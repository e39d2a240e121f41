/** The OpenAPI 3.1 document of /api/v1, generated from the routes' zod schemas. */
import { z } from 'zod';
import { API_SCOPES } from '../../core/apikeys/apikey.service.ts';
import { PROBLEM_TYPE } from './problem.ts';
import { API_PREFIX, type ApiRoute } from './route.ts';
import { inputs, outputs } from './schemas.ts';

type JsonSchema = Record<string, unknown>;

const COMPONENT = (id: string) => `#/components/schemas/${id}`;

/** A schema as a component or inline: without `$schema` (the document's dialect applies) or `$id`. */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

/** Every registered schema, output shapes as responses are written and input shapes as accepted. */
function componentSchemas(): Record<string, JsonSchema> {
  const all: Record<string, JsonSchema> = {};
  for (const [registry, io] of [
    [outputs, 'output'],
    [inputs, 'input'],
  ] as const) {
    const { schemas } = z.toJSONSchema(registry, { uri: COMPONENT, io, target: 'draft-2020-12' });
    for (const [id, schema] of Object.entries(schemas)) all[id] = bare(schema as JsonSchema);
  }
  return all;
}

/** The `$ref` to a registered schema, or the schema inline. */
function schemaRef(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = (io === 'input' ? inputs : outputs).get(schema)?.id;
  return id ? { $ref: COMPONENT(id) } : bare(z.toJSONSchema(schema, { io }) as JsonSchema);
}

/** Path and query parameters, one per field of the route's object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const json = bare(z.toJSONSchema(field, { io: 'input' }) as JsonSchema);
    const { description, ...rest } = json;
    return {
      name,
      in: where,
      required: where === 'path' || !field.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_TYPE]: { schema: { $ref: COMPONENT('Problem') } } },
});

function operation(route: ApiRoute): JsonSchema {
  const responses: Record<string, unknown> = {
    [route.ok.status]: {
      description: route.ok.description,
      content: { 'application/json': { schema: schemaRef(route.ok.schema, 'output') } },
      ...(route.ok.status === 201
        ? {
            headers: {
              Location: { description: 'The ticket', schema: { type: 'string' } },
            },
          }
        : {}),
    },
    400: problem('Invalid path, query or body: `errors` names each field'),
    401: problem('No API key, or one that is unknown or revoked'),
    403: problem(`The key lacks the ${route.scope} scope`),
    429: {
      ...problem('Over the per-key rate limit'),
      headers: {
        'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } },
      },
    },
  };
  if (route.path.includes('{')) responses[404] = problem('No such ticket');
  if (route.method !== 'GET')
    responses[409] = problem('The helpdesk refused the change (`code` says why): nothing changed');
  if (route.operationId === 'updateTicket') responses[422] = problem('The assignee e-mail is unknown');
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: ['tickets'],
    security: [{ apiKey: [route.scope] }],
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaRef(route.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(routes: readonly ApiRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `${API_PREFIX}${route.path}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  paths[`${API_PREFIX}/openapi.json`] = {
    get: {
      operationId: 'openapi',
      summary: 'This document (no key needed)',
      security: [],
      responses: { 200: { description: 'The OpenAPI 3.1 document', content: { 'application/json': {} } } },
    },
  };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Helpdesk REST API',
      version,
      description:
        'Tickets for integrations. Each API key acts as an agent of its own (named after the key) and goes through the same use cases as chat, so chat sees every change. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'tickets' }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: `An API key from \`helpdesk apikey create\`. Scopes: ${API_SCOPES.join(', ')}.`,
        },
      },
      schemas: componentSchemas(),
    },
    paths,
  };
}

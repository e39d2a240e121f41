/** RFC 9457 problem details: every error the REST API answers, in one shape. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Problem } from './schemas.ts';

export const PROBLEM_TYPE = 'application/problem+json';

/** Standard titles; `type` is a URN per kind so clients can switch on it. */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export interface ProblemInput {
  status: number;
  /** The kind, as the last part of the type URN: `invalid-request`, `unauthorized`, `refused`… */
  kind: string;
  detail: string;
  code?: string | undefined;
  errors?: Array<{ field: string; message: string }> | undefined;
  headers?: Record<string, string> | undefined;
}

export function problemBody(request: FastifyRequest, input: ProblemInput): z.infer<typeof Problem> {
  return {
    type: `urn:helpdesk:problem:${input.kind}`,
    title: TITLES[input.status] ?? 'Error',
    status: input.status,
    detail: input.detail,
    instance: request.url.split('?')[0] ?? request.url,
    ...(input.code ? { code: input.code } : {}),
    ...(input.errors ? { errors: input.errors } : {}),
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, input: ProblemInput) {
  for (const [name, value] of Object.entries(input.headers ?? {})) reply.header(name, value);
  return reply.code(input.status).type(PROBLEM_TYPE).send(problemBody(request, input));
}

/**
 * `POST /integrations/jsm/webhook`: JSM's automation rule (or a Jira webhook) reporting comments and
 * status changes. The shared secret JSM_WEBHOOK_SECRET comes as `?secret=` or in the
 * `X-JSM-Webhook-Secret` header; anything else gets 401 and changes nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CoreDeps } from '../core/deps.ts';
import { handleJsmWebhook } from '../core/jsm/jsm.inbound.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

function secretMatches(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

export function mountJsmRoute(http: FastifyInstance, deps: CoreDeps): void {
  http.post<{ Querystring: { secret?: string } }>('/integrations/jsm/webhook', async (request, reply) => {
    const expected = deps.config.jsm?.webhookSecret;
    if (!deps.config.jsm) return reply.code(404).send({ error: 'the JSM connector is not configured' });
    if (!expected)
      return reply.code(401).send({ error: 'JSM_WEBHOOK_SECRET is not set: every call is refused' });
    const header = request.headers['x-jsm-webhook-secret'];
    const given = request.query.secret ?? (Array.isArray(header) ? header[0] : header);
    if (!secretMatches(given, expected)) return reply.code(401).send({ error: 'wrong or missing secret' });
    const outcome = await handleJsmWebhook(deps, request.body);
    return reply.code(200).send({ outcome });
  });
}

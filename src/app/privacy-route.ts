/**
 * `GET /privacy/exports/<token>`: a person's export, downloaded once. The token is 256 random bits
 * (only its hash is stored), the link expires after a few minutes, and the row is deleted as it is
 * served, so a second request, an expired link and a wrong token all get the same 404.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db.ts';
import { takeExport } from '../core/privacy/export.ts';

export function mountPrivacyRoute(http: FastifyInstance, db: Db, clock: Clock): void {
  http.get<{ Params: { token: string } }>('/privacy/exports/:token', async (request, reply) => {
    const document = await takeExport(db, request.params.token, clock.now());
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (document === undefined) return reply.code(404).send({ error: 'not found or already used' });
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="helpdesk-export.json"')
      .header('x-content-type-options', 'nosniff')
      .send(JSON.stringify(document, null, 2));
  });
}

/**
 * `GET /charts/<id>.png`: the stored digest charts, public because Slack and Teams fetch images by
 * URL without credentials. Ids carry a content hash, so a URL names one image for good.
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../core/db.ts';

/** Chart ids are one path segment: lowercase letters, digits and dashes (see `chartIdFor`). */
export const CHART_ID = /^[a-z0-9-]{1,200}$/;

export function mountChartRoute(http: FastifyInstance, db: Db): void {
  http.get<{ Params: { file: string } }>('/charts/:file', async (request, reply) => {
    const { file } = request.params;
    if (!file.endsWith('.png')) return reply.code(404).send({ error: 'not found' });
    const id = file.slice(0, -'.png'.length);
    if (!CHART_ID.test(id)) return reply.code(400).send({ error: 'invalid chart id' });
    const chart = await db
      .selectFrom('charts')
      .select(['content_type', 'data'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!chart) return reply.code(404).send({ error: 'not found' });
    return reply
      .header('content-type', chart.content_type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(chart.data);
  });
}

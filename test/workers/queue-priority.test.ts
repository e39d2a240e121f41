import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.ts';
import { createQueue, type JobHandlers, type QueueRuntime } from '../../src/app/queue.ts';
import type { JobName } from '../../src/core/jobs/jobs.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { dropSchema, testConfig } from '../support/db.ts';
import { waitFor } from './support.ts';

const opened: Array<{ close(): Promise<void> }> = [];
const schemas: string[] = [];
afterEach(async () => {
  for (const each of opened.splice(0).reverse()) await each.close();
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

async function queueOn(backend: 'redis' | 'postgres'): Promise<QueueRuntime> {
  const config = testConfig({}, backend);
  schemas.push(config.DATABASE_SCHEMA);
  const database = await openDatabase(config);
  opened.push(database);
  const queue = await createQueue(config, database, silentLogger);
  opened.push(queue);
  return queue;
}

/**
 * A burst's backlog of new requests must not hold back the answers and timers of the requests
 * already triaged: with five `process-event` jobs waiting ahead of them, a `deliver` and an
 * `sla-check` added later still run first, and the `process-event` jobs keep their order. The
 * gauges count all seven as waiting.
 */
async function workInProgressFirst(queue: QueueRuntime) {
  for (let id = 1; id <= 5; id++) await queue.enqueue('process-event', { inboundEventId: id });
  await queue.enqueue('deliver', { outboxId: 1 });
  await queue.enqueue('sla-check', {
    ticketId: 1,
    target: 'first_response',
    kind: 'warning',
    dueAt: new Date().toISOString(),
  });
  // The gauges (and the autoscaler reading them) count the prioritized jobs as waiting.
  const before = await queue.stats();
  expect(before.waiting).toBe(7);
  expect(before.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
  const ran: string[] = [];
  const record = (name: JobName) => async (data: Record<string, unknown>) => {
    ran.push(name === 'process-event' ? `process-event ${data.inboundEventId}` : name);
  };
  const handlers = Object.fromEntries(
    (['process-event', 'deliver', 'sla-check'] as const).map((name) => [name, record(name)]),
  ) as unknown as JobHandlers;
  await queue.startWorker(handlers, { concurrency: 1 });
  await waitFor(async () => (ran.length === 7 ? ran : undefined));
  expect(ran).toEqual([
    'deliver',
    'sla-check',
    'process-event 1',
    'process-event 2',
    'process-event 3',
    'process-event 4',
    'process-event 5',
  ]);
}

describe('job order: work under way before new requests', () => {
  it('on Redis', async () => {
    await workInProgressFirst(await queueOn('redis'));
  });

  it('on the BullMQ Postgres backend', async () => {
    await workInProgressFirst(await queueOn('postgres'));
  });
});

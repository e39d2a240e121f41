/**
 * Inbound events per second through accept → process → outbox → deliver (a counting notifier),
 * on Postgres + Redis and on the embedded mode, with p50/p99 accept-to-delivery latency and the
 * count of events lost or duplicated (both must be 0). Prints one JSON line per backend.
 * BENCH_EVENTS sets the number of events (default 500).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/app/config.ts';
import { buildApp } from '../src/app/runtime.ts';
import type { Notifier } from '../src/core/chat/notifier.ts';
import { silentLogger } from '../src/core/logger.ts';
import { dropSchema, testConfig } from '../test/support/db.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function runBackend(name: string, env: Record<string, string>, cleanup: () => Promise<void>) {
  const acceptedAt = new Map<string, number>();
  const delivered = new Map<string, number[]>();
  const notifier: Notifier = {
    platform: 'console',
    async deliver(delivery) {
      const thread = delivery.target.thread ?? '';
      if (delivery.op === 'post' && acceptedAt.has(thread)) {
        const list = delivered.get(thread) ?? [];
        list.push(performance.now());
        delivered.set(thread, list);
      }
      return { messageId: `m${Math.random().toString(36).slice(2)}` };
    },
  };
  const config = loadConfig(env);
  const app = await buildApp(config, {
    worker: true,
    migrate: true,
    notifiers: [notifier],
    log: silentLogger,
  });
  const started = performance.now();
  for (let i = 0; i < EVENTS; i++) {
    const id = `bench-${i}`;
    acceptedAt.set(id, performance.now());
    await app.accept({
      platform: 'console',
      kind: 'message',
      eventId: `evt-${id}`,
      sender: {
        platform: 'console',
        tenant: 'local',
        userId: `user${i % 50}`,
        email: `user${i % 50}@example.com`,
      },
      conversation: {
        platform: 'console',
        tenant: 'local',
        channel: `dm-user${i % 50}`,
        thread: id,
        isDirect: true,
      },
      text: `printer ${i} on floor ${i % 7} is jammed`,
      messageId: id,
      isDirect: true,
      mentionsBot: false,
    });
    // Retries from the platform: every tenth event arrives twice.
    if (i % 10 === 0) {
      await app.accept({
        platform: 'console',
        kind: 'message',
        eventId: `evt-${id}`,
        sender: { platform: 'console', tenant: 'local', userId: `user${i % 50}` },
        conversation: {
          platform: 'console',
          tenant: 'local',
          channel: `dm-user${i % 50}`,
          thread: id,
          isDirect: true,
        },
        text: 'retry',
        messageId: id,
        isDirect: true,
        mentionsBot: false,
      });
    }
  }
  await app.idle(600_000);
  const seconds = (performance.now() - started) / 1000;
  const latencies = [...acceptedAt.entries()]
    .filter(([id]) => delivered.has(id))
    .map(([id, at]) => (delivered.get(id)?.[0] ?? at) - at)
    .sort((a, b) => a - b);
  const lost = [...acceptedAt.keys()].filter((id) => !delivered.has(id)).length;
  const duplicated = [...delivered.values()].filter((list) => list.length > 1).length;
  const tickets = await app.deps.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    JSON.stringify({
      bench: 'foundation.events',
      backend: name,
      events: EVENTS,
      events_per_second: Math.round((EVENTS / seconds) * 10) / 10,
      p50_ms: Math.round(percentile(latencies, 50)),
      p99_ms: Math.round(percentile(latencies, 99)),
      lost,
      duplicated,
      tickets: Number(tickets.n),
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    }),
  );
  await app.close();
  await cleanup();
}

export async function run() {
  const pg = testConfig({}, 'redis');
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: pg.DATABASE_URL ?? '',
    DATABASE_SCHEMA: pg.DATABASE_SCHEMA,
    REDIS_URL: pg.REDIS_URL ?? '',
    QUEUE_PREFIX: pg.QUEUE_PREFIX,
    CONSOLE: 'false',
  };
  await runBackend('postgres+redis', env, () => dropSchema(pg.DATABASE_SCHEMA));
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-'));
  await runBackend(
    'embedded',
    { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, CONSOLE: 'false' },
    async () => rmSync(dir, { recursive: true, force: true }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

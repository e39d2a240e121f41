/**
 * Embedded mode (PGlite + BullMQ on its Postgres backend, as `helpdesk start` runs without
 * DATABASE_URL): console message → the helpdesk's first reply, typed the way a person does (the next
 * line once the helpdesk is idle). Prints one JSON line with p50/p95/max and the process's RSS.
 * BENCH_MESSAGES sets the number of messages (default 20).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../src/app/config.ts';
import { loadDemoKnowledgeBase, startConsole } from '../src/app/local.ts';
import { buildApp } from '../src/app/runtime.ts';
import { silentLogger } from '../src/core/logger.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20);

const LINES = [
  'my laptop will not boot',
  'how do I connect to the vpn from my mac',
  'the printer on floor 3 is out of toner',
  'I need access to the finance shared drive',
  'outlook keeps asking for my password',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-embedded-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, PORT: '0' });
  const app = await buildApp(config, { http: true, worker: true, log: silentLogger });
  await loadDemoKnowledgeBase(app);
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  let onPrint: (() => void) | undefined;
  output.on('data', (chunk) => {
    printed += String(chunk);
    onPrint?.();
  });
  const session = startConsole(app, { as: 'alice', interactive: false, input, output });
  const latencies: number[] = [];
  const untilIdle: number[] = [];
  for (let i = 0; i < MESSAGES + 1; i++) {
    const before = printed.length;
    const replied = new Promise<void>((resolve) => {
      onPrint = () => {
        if (printed.slice(before).includes('🤖')) resolve();
      };
    });
    const started = performance.now();
    input.write(`${LINES[i % LINES.length]} (${i})\n`);
    await replied;
    const reply = performance.now() - started;
    await app.idle(60_000);
    // The first message warms up the models and the queries; it is not counted.
    if (i > 0) {
      latencies.push(reply);
      untilIdle.push(performance.now() - started);
    }
  }
  input.end();
  await session;
  latencies.sort((a, b) => a - b);
  untilIdle.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'embedded.console',
      messages: MESSAGES,
      reply_p50_ms: Math.round(percentile(latencies, 50)),
      reply_p95_ms: Math.round(percentile(latencies, 95)),
      reply_max_ms: Math.round(latencies.at(-1) ?? 0),
      idle_p50_ms: Math.round(percentile(untilIdle, 50)),
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
      load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    }),
  );
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

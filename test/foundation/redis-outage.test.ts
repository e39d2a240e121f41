/**
 * Redis goes away (its own redis-server on a spare port, never the shared one): recording an event
 * still answers at once, `/readyz` says 503 within a second naming the queue, and once Redis is
 * back the recorded event is processed (recovery enqueues it; nothing was lost or doubled).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message, startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/db.ts';
import { freePort } from '../support/processes.ts';

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

let app: TestApp;
let redis: ChildProcess;
let port: number;
let base: string;

beforeAll(async () => {
  port = await freePort();
  redis = await startRedis(port);
  app = await startTestApp({ config: testConfig({ REDIS_URL: `redis://127.0.0.1:${port}` }) });
  base = await app.listen();
}, 60_000);

afterAll(async () => {
  await app?.close();
  if (redis) await stop(redis);
}, 60_000);

describe('a Redis outage', () => {
  it('answers while Redis is away, says so on /readyz within a second, and processes the event once it is back', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);

    await stop(redis);
    const started = Date.now();
    const away = await fetch(`${base}/readyz`);
    const waited = Date.now() - started;
    expect(away.status).toBe(503);
    expect(await away.json()).toMatchObject({ status: 'unavailable', queue: false, database: true });
    expect(waited).toBeLessThan(5000);

    const event = message('alice', 'my monitor flickers');
    const accepted = await app.accept(event);
    expect(accepted.duplicate).toBe(false);
    const row = await app.deps.db
      .selectFrom('inbound_events')
      .select('status')
      .where('id', '=', accepted.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');

    redis = await startRedis(port);
    // Redis came back empty: the event's job is gone, recovery finds the recorded row again.
    await app.deps.jobs.enqueue('recover', {});
    await app.idle(30_000);
    const tickets = await app.deps.db.selectFrom('tickets').select('title').execute();
    expect(tickets).toEqual([{ title: expect.stringContaining('monitor flickers') }]);
    const done = await app.deps.db
      .selectFrom('inbound_events')
      .select('status')
      .where('id', '=', accepted.id)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe('done');
  }, 90_000);
});

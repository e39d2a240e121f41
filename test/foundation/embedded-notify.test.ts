import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { keepQueriesTogether, listenChanges } from '../../src/app/pglite-multiplexer.ts';
import { message, startTestApp } from '../support/app.ts';
import { uniqueName } from '../support/db.ts';

describe('LISTEN / NOTIFY through the PGlite socket server', () => {
  let pglite: PGlite;
  let server: PGLiteSocketServer;
  let url: string;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    pglite = await PGlite.create();
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 16 });
    keepQueriesTogether(server);
    await server.start();
    url = `postgres://postgres@127.0.0.1:${(server as unknown as { port: number }).port}/postgres?sslmode=disable`;
  });
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => {});
    await server.stop();
    await pglite.close();
  });

  async function connect() {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    const received: Array<{ channel: string; payload: string | undefined }> = [];
    client.on('notification', (n) => received.push({ channel: n.channel, payload: n.payload }));
    const next = () =>
      new Promise<{ channel: string; payload: string | undefined }>((resolve) =>
        client.once('notification', (n) => resolve({ channel: n.channel, payload: n.payload })),
      );
    return { client, received, next };
  }

  it('reaches the client that listens, not the one that notified', async () => {
    const listener = await connect();
    const notifier = await connect();
    // As BullMQ subscribes: a comment, then the statement.
    await listener.client.query('-- Subscribe to the shared channel.\nLISTEN bullmq_jobs;\n');
    const arrived = listener.next();
    await notifier.client.query("select pg_notify('bullmq_jobs', 'helpdesk')");
    expect(await arrived).toEqual({ channel: 'bullmq_jobs', payload: 'helpdesk' });
    // A round trip after the NOTIFY: anything addressed to the notifier would have arrived first.
    await notifier.client.query('select 1');
    expect(notifier.received).toEqual([]);
  });

  it('arrives at COMMIT when sent inside a transaction, through the extended protocol', async () => {
    const listener = await connect();
    const notifier = await connect();
    await listener.client.query('listen "Jobs"');
    const arrived = listener.next();
    await notifier.client.query('begin');
    await notifier.client.query('select pg_notify($1, $2)', ['Jobs', 'in-a-transaction']);
    await notifier.client.query('commit');
    expect(await arrived).toEqual({ channel: 'Jobs', payload: 'in-a-transaction' });
    expect(listener.received).toHaveLength(1);
  });

  it('a notifier that also listens gets it once; another client’s UNLISTEN leaves the others listening', async () => {
    const first = await connect();
    const second = await connect();
    await first.client.query('listen shared');
    await second.client.query('listen shared');
    await second.client.query('unlisten *');
    const arrived = first.next();
    await first.client.query("notify shared, 'one'");
    expect(await arrived).toEqual({ channel: 'shared', payload: 'one' });
    await second.client.query('select 1');
    expect(first.received).toHaveLength(1);
    expect(second.received).toEqual([]);
  });

  it('a listener that has gone is forgotten; notifying goes on working', async () => {
    const gone = await connect();
    const notifier = await connect();
    await gone.client.query('listen leaving');
    await gone.client.end();
    await expect(notifier.client.query("notify leaving, 'anyone?'")).resolves.toBeDefined();
    expect(notifier.received).toEqual([]);
  });

  it('reads LISTEN and UNLISTEN statements, quoted names kept as written', () => {
    expect(listenChanges('select 1')).toBeUndefined();
    expect(listenChanges('/* x */ LISTEN Foo; listen "Bar""s"; UNLISTEN baz')).toEqual({
      listen: ['foo', 'Bar"s'],
      unlisten: ['baz'],
      unlistenAll: false,
    });
    expect(listenChanges("select 'listen' as word")).toBeUndefined();
  });
});

describe('the embedded worker', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-notify-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is woken by the enqueue itself: it no longer polls, so a lost wake-up would leave the message unanswered', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      QUEUE_PREFIX: uniqueName('q'),
      PORT: '0',
      HOST: '127.0.0.1',
      CONSOLE: 'false',
    });
    const app = await startTestApp({ http: false, config });
    try {
      // Start-up jobs done: the worker is asleep on LISTEN until a NOTIFY or its next delayed job.
      await app.idle();
      for (const text of ['my laptop will not boot', 'the printer on floor 2 is jammed']) {
        await app.accept(message('alice', text));
        await app.idle();
      }
      expect(app.output().match(/filed ticket #\d+/g)).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});

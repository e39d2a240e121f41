import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { RECOVER_EVERY_MS } from '../../src/app/schedules.ts';
import { accept, recoverUnfinished } from '../../src/core/inbox/inbox.ts';
import { resolvePerson } from '../../src/core/people/people.service.ts';
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { refusalText } from '../../src/core/tickets/refusal.ts';
import { reconcileTimers } from '../../src/core/timers/reconciler.ts';
import { SETTING_KEYS } from '../../src/core/timers/settings.ts';
import { message, startTestApp, type TestApp } from '../support/app.ts';
import { dropSchema, TEST_REDIS_URL, testConfig, uniqueName } from '../support/db.ts';
import { consoleRequester, consoleTriage, createTicket, waitFor } from './support.ts';

let app: TestApp | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** With a 2 s first-response target, a real worker posts the warning at 1.5 s and the breach at 2 s, once each. */
async function warningThenBreach(started: TestApp) {
  const { db } = started.deps;
  await setSetting(db, triageChannelKey('console'), consoleTriage, null);
  await setSetting(db, SETTING_KEYS.policies, { P3: { firstResponseMs: 2000 } }, null);
  const requester = await resolvePerson(db, started.deps.config, {
    platform: 'console',
    tenant: 'local',
    userId: 'alice',
    displayName: 'Alice',
  });
  const created = await createTicket(started.deps, requester, {
    description: 'Outlook keeps asking for my password',
    triage: { priority: 'P3', category: 'email' },
    conversation: consoleRequester,
  });
  if (!created.ok) throw new Error(refusalText(created.refusal));
  const createdAt = created.ticket.created_at.getTime();
  const alerts = await waitFor(async () => {
    const rows = await db
      .selectFrom('sla_alerts')
      .selectAll()
      .where('ticket_id', '=', created.ticket.id)
      .orderBy('id')
      .execute();
    return rows.length >= 2 ? rows : undefined;
  });
  expect(alerts.map((a) => `${a.target}/${a.kind}`)).toEqual([
    'first_response/warning',
    'first_response/breach',
  ]);
  const [warning, breach] = alerts.map((a) => a.created_at.getTime() - createdAt);
  expect(warning).toBeGreaterThanOrEqual(1500);
  expect(warning).toBeLessThan(1500 + 1500);
  expect(breach).toBeGreaterThanOrEqual(2000);
  expect(breach).toBeLessThan(2000 + 1500);

  // A reconciler run afterwards re-enqueues nothing that would post again.
  await reconcileTimers(started.deps, {});
  await started.idle();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await started.idle();
  const output = started.output();
  expect(output.match(/SLA warning/g)).toHaveLength(1);
  // The breach goes to the ticket's triage thread and to the triage channel itself.
  expect(output.match(/SLA breached/g)).toHaveLength(2);
  expect(
    await db.selectFrom('sla_alerts').select('id').where('ticket_id', '=', created.ticket.id).execute(),
  ).toHaveLength(2);
}

describe('timers through a real BullMQ worker', () => {
  it('on Redis, the warning and the breach fire on time and post once', async () => {
    app = await startTestApp({ http: false });
    await warningThenBreach(app);
  });

  it('on the BullMQ Postgres backend, the same', async () => {
    app = await startTestApp({ http: false, backend: 'postgres' });
    await warningThenBreach(app);
  });

  it('in the embedded mode (PGlite + BullMQ on Postgres), the same', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-workers-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      QUEUE_PREFIX: uniqueName('q'),
      PORT: '0',
      HOST: '127.0.0.1',
      CONSOLE: 'false',
    });
    app = await startTestApp({ http: false, config });
    await warningThenBreach(app);
  });
});

describe('recovery through a real BullMQ worker', () => {
  it('delivers a committed outbox row whose deliver job was lost, once, through the recover job', async () => {
    app = await startTestApp({ http: false });
    const { db } = app.deps;
    await setSetting(db, triageChannelKey('console'), consoleTriage, null);
    const requester = await resolvePerson(db, app.deps.config, {
      platform: 'console',
      tenant: 'local',
      userId: 'alice',
      displayName: 'Alice',
    });
    // The ticket and its outbox rows commit; every enqueue after the commit is lost.
    const lostQueue = {
      enqueue: async () => {
        throw new Error('queue unreachable');
      },
    };
    const created = await createTicket({ ...app.deps, jobs: lostQueue }, requester, {
      description: 'Docking station does not charge my laptop',
      triage: { priority: 'P3', category: 'hardware' },
      conversation: consoleRequester,
    });
    if (!created.ok) throw new Error(refusalText(created.refusal));
    const ticketId = created.ticket.id;
    const rows = () =>
      db
        .selectFrom('outbox')
        .select(['id', 'status', 'attempts', 'purpose'])
        .where('ticket_id', '=', ticketId)
        .orderBy('id')
        .execute();
    const lost = await rows();
    // The acknowledgement, the triage card and the card's refresh with its due times.
    expect(lost.length).toBeGreaterThanOrEqual(2);
    for (const row of lost) expect([row.status, row.attempts]).toEqual(['pending', 0]);
    // Older than the recovery's grace period, so the recover job treats the rows as abandoned.
    await sql`update outbox set created_at = now() - interval '1 minute' where ticket_id = ${ticketId}`.execute(
      db,
    );

    await app.queue.enqueue('recover', {});
    await waitFor(async () => {
      const now = await rows();
      return now.every((row) => row.status === 'sent') ? now : undefined;
    });
    // More recovery runs find nothing left to deliver.
    expect(await recoverUnfinished(app.deps)).toEqual({ events: 0, deliveries: 0 });
    await app.queue.enqueue('recover', {});
    await app.idle();
    const delivered = await rows();
    expect(delivered.map((row) => row.id)).toEqual(lost.map((row) => row.id));
    for (const row of delivered) expect([row.status, row.attempts]).toEqual(['sent', 1]);
    const output = app.output();
    expect(output.match(new RegExp(`I've filed ticket #${created.ticket.number}:`, 'g'))).toHaveLength(1);
    expect(output.match(/Docking station does not charge my laptop/g)?.length).toBeGreaterThanOrEqual(1);
  });

  it('runs once when a worker starts and is scheduled every minute', async () => {
    const config = testConfig();
    try {
      // A previous process recorded an event a minute ago and died before enqueueing it.
      app = await startTestApp({ http: false, config });
      const lostQueue = {
        enqueue: async () => {
          throw new Error('process died');
        },
      };
      const { id } = await accept({ ...app.deps, jobs: lostQueue }, message('erin', 'my monitor flickers'));
      await sql`update inbound_events set received_at = now() - interval '1 minute' where id = ${id}`.execute(
        app.deps.db,
      );
      await app.close();

      app = await startTestApp({ http: false, config });
      const { db } = app.deps;
      await waitFor(async () => {
        const row = await db
          .selectFrom('inbound_events')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return row.status === 'done' ? row : undefined;
      });

      const queue = new Queue(config.QUEUE_PREFIX, {
        connection: { url: TEST_REDIS_URL },
        prefix: config.QUEUE_PREFIX,
      });
      try {
        const scheduler = await queue.getJobScheduler('every-recover');
        expect(scheduler).toMatchObject({ name: 'recover', every: RECOVER_EVERY_MS });
        expect(RECOVER_EVERY_MS).toBe(60_000);
      } finally {
        await queue.close();
      }
    } finally {
      await app?.close();
      app = undefined;
      await dropSchema(config.DATABASE_SCHEMA);
    }
  });
});

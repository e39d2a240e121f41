/**
 * Redis restarted without persistence comes back empty: no jobs, no delayed timers, no schedulers.
 * Postgres is the source of truth, so a worker re-creates all of it as soon as Redis is back.
 */
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { accept } from '../../src/core/inbox/inbox.ts';
import { resolvePerson } from '../../src/core/people/people.service.ts';
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { refusalText } from '../../src/core/tickets/refusal.ts';
import { SETTING_KEYS } from '../../src/core/timers/settings.ts';
import { message, startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/db.ts';
import { type RedisServer, startRedisServer } from '../support/processes.ts';
import { consoleRequester, consoleTriage, createTicket, waitFor } from './support.ts';

let app: TestApp | undefined;
let redis: RedisServer | undefined;
afterAll(async () => {
  await app?.close();
  await redis?.kill();
});

describe('a Redis restart without persistence', () => {
  it('loses nothing: schedulers are back, an unfinished event is processed and lost SLA timers fire, at once', async () => {
    redis = await startRedisServer();
    const config = testConfig({ REDIS_URL: redis.url });
    app = await startTestApp({ http: false, config });
    const { db } = app.deps;
    await setSetting(db, triageChannelKey('console'), consoleTriage, null);
    await setSetting(db, SETTING_KEYS.policies, { P3: { firstResponseMs: 8_000 } }, null);
    const requester = await resolvePerson(db, app.deps.config, {
      platform: 'console',
      tenant: 'local',
      userId: 'alice',
      displayName: 'Alice',
    });
    const created = await createTicket(app.deps, requester, {
      description: 'The dock does not charge my laptop',
      triage: { priority: 'P3', category: 'hardware' },
      conversation: consoleRequester,
    });
    if (!created.ok) throw new Error(refusalText(created.refusal));
    // Recorded just before Redis went away, its job never reached it (the enqueue was lost).
    const lostQueue = {
      enqueue: async () => {
        throw new Error('connection lost');
      },
    };
    const { id } = await accept({ ...app.deps, jobs: lostQueue }, message('erin', 'my monitor flickers'));

    // Its delayed SLA jobs (warning at 6 s, breach at 8 s) are in Redis; gone with it.
    await redis.kill();
    await redis.start();
    const restarted = Date.now();

    const status = async () =>
      (await db.selectFrom('inbound_events').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status;
    // Not after the 30 s grace period of the periodic recovery: Redis said it lost everything.
    await waitFor(async () => ((await status()) === 'done' ? true : undefined), 10_000);
    expect(Date.now() - restarted).toBeLessThan(10_000);

    const alerts = await waitFor(async () => {
      const rows = await db
        .selectFrom('sla_alerts')
        .select(['target', 'kind'])
        .where('ticket_id', '=', created.ticket.id)
        .orderBy('id')
        .execute();
      return rows.length >= 2 ? rows : undefined;
    }, 20_000);
    expect(alerts.map((a) => `${a.target}/${a.kind}`)).toEqual([
      'first_response/warning',
      'first_response/breach',
    ]);
    await app.idle();
    const output = app.output();
    const number = created.ticket.number;
    expect(output.match(new RegExp(`SLA warning: #${number} `, 'g'))).toHaveLength(1);
    // The breach goes to the triage channel and to the ticket's thread there.
    expect(output.match(new RegExp(`SLA breached: #${number} `, 'g'))).toHaveLength(2);

    const queue = new Queue(config.QUEUE_PREFIX, {
      connection: { url: redis.url },
      prefix: config.QUEUE_PREFIX,
    });
    try {
      const schedulers = (await queue.getJobSchedulers()).map((s) => s.key).sort();
      expect(schedulers).toEqual([
        'cron-digest',
        'cron-retention',
        'every-approval-reminder',
        'every-prune-llm-cache',
        'every-reconcile-timers',
        'every-recover',
      ]);
    } finally {
      await queue.close();
    }
  }, 90_000);
});

/**
 * The platform accepted a message, and at that moment Postgres restarts (a server of this test's
 * own on a spare port): the row cannot be marked sent. The write is retried until the database is
 * back, so the message is not posted a second time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Delivery, Notifier } from '../../src/core/chat/notifier.ts';
import { queueMessage } from '../../src/core/outbox/outbox.ts';
import { unitOfWork } from '../../src/core/unit-of-work.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { eventually } from '../support/cli.ts';
import { testConfig } from '../support/db.ts';
import { type PostgresServer, startPostgresServer } from '../support/processes.ts';

let postgres: PostgresServer | undefined;
let app: TestApp | undefined;

afterAll(async () => {
  await app?.close().catch(() => {});
  await postgres?.remove();
}, 60_000);

describe('recording a sent message while Postgres restarts', () => {
  it('retries the record instead of sending the message again', async () => {
    postgres = await startPostgresServer();
    const server = postgres;
    const sent: Delivery[] = [];
    let restarted: Promise<void> | undefined;
    // Answers like a platform that accepted the message, just as the database goes away for 3 s.
    const notifier: Notifier = {
      platform: 'slack',
      async deliver(delivery) {
        sent.push(delivery);
        if (!restarted) {
          await server.stop('fast');
          restarted = new Promise((resolve) => setTimeout(resolve, 3_000)).then(() => server.start());
        }
        return { messageId: `1764200000.00000${sent.length}` };
      },
    };
    app = await startTestApp({
      http: false,
      notifiers: [notifier],
      config: testConfig({ DATABASE_URL: server.url, LOG_LEVEL: 'silent' }),
    });
    const target = { platform: 'slack' as const, tenant: 'T0PGREC', channel: 'C0PGREC' };
    const id = await unitOfWork(app.deps, (tx) =>
      queueMessage(tx, { key: 'restart-1', op: 'post', target, message: { text: 'the VPN is back' } }),
    );

    const status = async () => {
      try {
        const row = await app?.deps.db
          .selectFrom('outbox')
          .select(['status', 'platform_message_id'])
          .where('id', '=', id as number)
          .executeTakeFirst();
        return row;
      } catch {
        return undefined;
      }
    };
    expect(await eventually(async () => (await status())?.status === 'sent', 120_000)).toBe(true);
    await restarted;
    expect(sent).toHaveLength(1);
    expect((await status())?.platform_message_id).toBe('1764200000.000001');
  }, 180_000);
});

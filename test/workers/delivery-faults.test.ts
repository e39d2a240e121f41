/**
 * The outbox under platform faults, through a real worker (BullMQ on the real Redis), the real
 * Postgres and the real @slack/web-api client against the fake Slack: rate-limit storms, 5xx
 * windows, a revoked token, permanent failures and their dead letters, and a busy triage channel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackNotifier } from '../../src/bots/slack/notifier.ts';
import type { ConversationRef } from '../../src/core/chat/chat.ts';
import { accept } from '../../src/core/inbox/inbox.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { listDeadLetters } from '../../src/core/outbox/deadletters.ts';
import { queueMessage } from '../../src/core/outbox/outbox.ts';
import { unitOfWork } from '../../src/core/unit-of-work.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../slack/fake-slack.ts';
import { message, startTestApp, type TestApp } from '../support/app.ts';
import { cliEnv, runCli } from '../support/cli.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/db.ts';
import { waitFor } from './support.ts';

const TEAM = 'T0FAULTS';
const triage: ConversationRef = { platform: 'slack', tenant: TEAM, channel: 'C0TRIAGE' };
const dmBob: ConversationRef = { platform: 'slack', tenant: TEAM, channel: 'D0BOB', isDirect: true };

let slack: FakeSlack;
let app: TestApp | undefined;

async function start(env: Record<string, string> = {}) {
  const notifier = createSlackNotifier({
    config: { botToken: 'xoxb-faults', apiUrl: slack.apiUrl },
    log: silentLogger,
  });
  app = await startTestApp({ http: true, notifiers: [notifier], env });
  return app;
}

beforeEach(async () => {
  slack = await startFakeSlack();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await slack.close();
});

/** Queues `count` ticket cards into the triage channel, each with `replies` messages in its thread. */
async function queueCards(started: TestApp, count: number, replies: number, tag = 'card') {
  const cards: number[] = [];
  for (let n = 1; n <= count; n++) {
    await unitOfWork(started.deps, async (tx) => {
      const card = await queueMessage(tx, {
        key: `${tag}-${n}`,
        op: 'post',
        target: triage,
        message: { text: `${tag} ${n} :` },
        purpose: 'ticket-card',
      });
      if (card === undefined) throw new Error('card not queued');
      cards.push(card);
      for (let r = 1; r <= replies; r++) {
        await queueMessage(tx, {
          key: `${tag}-${n}-reply-${r}`,
          op: 'post',
          target: triage,
          threadOf: card,
          message: { text: `${tag} ${n} reply ${r} :` },
        });
      }
    });
  }
  return cards;
}

/** Queues `count` messages to Bob's DM, one transaction each (as replies to his messages are). */
async function queueDms(started: TestApp, count: number, tag = 'dm') {
  for (let n = 1; n <= count; n++) {
    await unitOfWork(started.deps, (tx) =>
      queueMessage(tx, { key: `${tag}-${n}`, op: 'post', target: dmBob, message: { text: `${tag} ${n} :` } }),
    );
  }
}

const posts = () => slack.callsTo('chat.postMessage');
const delivered = () => posts().filter((call) => call.response?.ok);

async function outboxRows(started: TestApp) {
  return started.deps.db
    .selectFrom('outbox')
    .select(['id', 'status', 'attempts', 'reason', 'last_error'])
    .orderBy('id')
    .execute();
}

async function allSent(started: TestApp, timeoutMs = 60_000) {
  return waitFor(async () => {
    const rows = await outboxRows(started);
    return rows.length > 0 && rows.every((row) => row.status === 'sent') ? rows : undefined;
  }, timeoutMs);
}

/** Every message was posted exactly once; a thread reply after its card, under the card's ts. */
function expectEachOnceAndThreaded(calls: RecordedCall[], cards: number, replies: number, tag = 'card') {
  const texts = calls.map((call) => String(call.args.text));
  for (let n = 1; n <= cards; n++) {
    const card = calls.filter((call) => call.args.text === `${tag} ${n} :`);
    expect(card, `${tag} ${n}`).toHaveLength(1);
    const cardTs = card[0]?.response?.ts;
    for (let r = 1; r <= replies; r++) {
      const reply = calls.filter((call) => call.args.text === `${tag} ${n} reply ${r} :`);
      expect(reply, `${tag} ${n} reply ${r}`).toHaveLength(1);
      expect(reply[0]?.args.thread_ts).toBe(cardTs);
      expect(texts.indexOf(`${tag} ${n} reply ${r} :`)).toBeGreaterThan(texts.indexOf(`${tag} ${n} :`));
      if (r > 1)
        expect(texts.indexOf(`${tag} ${n} reply ${r} :`)).toBeGreaterThan(
          texts.indexOf(`${tag} ${n} reply ${r - 1} :`),
        );
    }
  }
}

describe('rate limits are waited out, not failed', () => {
  it('a 429 storm (Retry-After 2 s for 20 s) loses and dead-letters nothing and never retries early', async () => {
    const started = await start();
    let storming = true;
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 5000, () => storming);
    await queueCards(started, 5, 2);
    await queueDms(started, 5);
    // The storm outlasts the old 8-attempt budget (~16 s).
    const stormEnds = Date.now() + 20_000;
    await waitFor(async () => (Date.now() >= stormEnds ? true : undefined), 40_000);
    storming = false;
    const rows = await allSent(started);

    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
    // Waiting out a 429 is not an attempt: each row was attempted once and sent.
    expect(rows.map((row) => row.attempts)).toEqual(rows.map(() => 1));
    const ok = delivered();
    expectEachOnceAndThreaded(ok, 5, 2);
    expect(ok.filter((call) => call.args.channel === 'D0BOB').map((call) => call.args.text)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `dm ${n} :`),
    );
    // Never sooner than Retry-After: every call for a message comes ≥ 2 s after a 429 for it.
    const limited = posts().filter((call) => !call.response);
    expect(limited.length).toBeGreaterThan(15);
    for (const refused of limited) {
      const next = posts().find(
        (call) => call.at > refused.at && call.args.text === refused.args.text && call !== refused,
      );
      if (next) expect(next.at - refused.at).toBeGreaterThanOrEqual(2000);
    }
    expect((await listDeadLetters(started.deps.db, new Date())).letters).toEqual([]);
  });
});

describe('transient failures retry for hours, with capped backoff', () => {
  it('a 5xx window longer than the old 8-attempt budget still delivers, once', async () => {
    const started = await start({ DELIVERY_BACKOFF_MAX_SECONDS: '1' });
    slack.failNext('chat.postMessage', { status: 503 }, 12);
    await queueDms(started, 1, 'outage');
    const rows = await allSent(started);
    expect(rows).toHaveLength(1);
    // 12 refused attempts and the 13th sent: more than the 8 a delivery used to get.
    expect(rows[0]?.attempts).toBe(13);
    expect(posts().filter((call) => !call.response)).toHaveLength(12);
    expect(delivered().map((call) => call.args.text)).toEqual(['outage 1 :']);
  });
});

describe('a revoked token pauses the workspace instead of burning deliveries', () => {
  it('waits through an invalid_auth window, then delivers everything in order once the token works', async () => {
    const started = await start();
    let revoked = true;
    slack.failNext('chat.postMessage', { error: 'invalid_auth' }, 5000, () => revoked);
    slack.failNext('auth.test', { error: 'invalid_auth' }, 5000, () => revoked);
    await queueCards(started, 10, 2);
    await queueDms(started, 5);
    const { db } = started.deps;
    await waitFor(() => db.selectFrom('delivery_pauses').selectAll().executeTakeFirst());
    // A probe while the token is still refused keeps the pause; nothing fails meanwhile.
    await started.queue.enqueue('recover', {});
    await waitFor(async () => {
      const pause = await db.selectFrom('delivery_pauses').select('probed_at').executeTakeFirst();
      return pause?.probed_at ? pause : undefined;
    });
    const waiting = await outboxRows(started);
    expect(waiting).toHaveLength(35);
    expect(waiting.filter((row) => row.status !== 'pending')).toEqual([]);
    const report = await listDeadLetters(db, new Date());
    expect(report.letters).toEqual([]);
    expect(report.paused).toMatchObject([
      { platform: 'slack', tenant: TEAM, reason: 'invalid_auth', waiting: 35 },
    ]);
    const metrics = await started.http?.inject({ method: 'GET', url: '/metrics' });
    expect(metrics?.body).toMatch(/helpdesk_delivery_paused_workspaces\{platform="slack"\} 1/);

    revoked = false;
    // The periodic probe (part of the recovery sweep) finds the token working and resumes.
    await started.queue.enqueue('recover', {}, { jobId: 'recover-after-fix' });
    const rows = await allSent(started);
    expect(rows).toHaveLength(35);
    expect(await db.selectFrom('delivery_pauses').selectAll().execute()).toEqual([]);
    const ok = delivered();
    expectEachOnceAndThreaded(ok, 10, 2);
    expect(ok.filter((call) => call.args.channel === 'D0BOB').map((call) => call.args.text)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `dm ${n} :`),
    );
    // The refused attempts were not counted against the messages.
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
  });
});

describe('dead letters', () => {
  it('`helpdesk deadletters --json` lists a permanent failure and `retry` re-sends it once', async () => {
    const started = await start();
    slack.failNext('chat.postMessage', { error: 'channel_not_found' }, 1);
    await queueDms(started, 1, 'gone');
    const { db } = started.deps;
    const failed = await waitFor(async () => {
      const rows = await outboxRows(started);
      return rows[0]?.status === 'failed' ? rows[0] : undefined;
    });
    // Failed at once, with its reason: no retries for a permanent error.
    expect(failed).toMatchObject({ attempts: 1, reason: 'channel_not_found' });
    const metrics = await started.http?.inject({ method: 'GET', url: '/metrics' });
    expect(metrics?.body).toMatch(
      /helpdesk_dead_letters\{kind="outbound",platform="slack",reason="channel_not_found"\} 1/,
    );
    expect(metrics?.body).toMatch(
      /helpdesk_dead_lettered_total\{kind="outbound",platform="slack",reason="channel_not_found"\} 1/,
    );

    const env = cliEnv({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: started.config.DATABASE_SCHEMA,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: started.config.QUEUE_PREFIX,
      LOG_LEVEL: 'silent',
    });
    // An inbound event whose processing failed for good, as processEvent leaves it after its attempts.
    const lostQueue = {
      enqueue: async () => {
        throw new Error('queue away');
      },
    };
    const event = await accept({ ...started.deps, jobs: lostQueue }, message('erin', 'my VPN drops'));
    await db
      .updateTable('inbound_events')
      .set({ status: 'failed', attempts: 5, error: 'model exploded' })
      .where('id', '=', event.id)
      .execute();

    const listed = runCli(['deadletters', '--json'], { env });
    expect(listed.status, listed.stderr).toBe(0);
    const json = JSON.parse(listed.stdout);
    expect(json.deadletters).toHaveLength(2);
    expect(json.deadletters).toContainEqual(
      expect.objectContaining({
        id: `i${event.id}`,
        kind: 'inbound',
        platform: 'console',
        workspace: 'local',
        reason: 'processing_failed',
        attempts: 5,
        last_error: 'model exploded',
      }),
    );
    expect(json.deadletters).toContainEqual(
      expect.objectContaining({
        id: `o${failed.id}`,
        kind: 'outbound',
        platform: 'slack',
        workspace: TEAM,
        reason: 'channel_not_found',
        attempts: 1,
        last_error: 'Slack post failed: channel_not_found',
      }),
    );
    for (const letter of json.deadletters) expect(letter.age_seconds).toBeGreaterThanOrEqual(0);
    const text = runCli(['deadletters'], { env });
    expect(text.stdout).toContain(`o${failed.id} failed → slack D0BOB`);
    expect(text.stdout).toContain(`i${event.id} inbound event failed ← console local`);

    const bad = runCli(['deadletters', 'retry', '12'], { env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('not a dead letter id: 12');

    const retried = runCli(['deadletters', 'retry', `o${failed.id}`], { env });
    expect(retried.status, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`Re-sent 1: o${failed.id}`);
    await allSent(started);
    // Retrying a row that was delivered meanwhile sends nothing.
    const again = runCli(['deadletters', 'retry', `o${failed.id}`], { env });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`o${failed.id} is not a dead letter`);
    await started.idle();
    expect(delivered().map((call) => call.args.text)).toEqual(['gone 1 :']);

    const rerun = runCli(['deadletters', 'retry', `i${event.id}`], { env });
    expect(rerun.stdout).toContain(`Re-sent 1: i${event.id}`);
    await waitFor(async () => {
      const row = await db
        .selectFrom('inbound_events')
        .select('status')
        .where('id', '=', event.id)
        .executeTakeFirstOrThrow();
      return row.status === 'done' ? row : undefined;
    });
    expect((await listDeadLetters(db, new Date())).letters).toEqual([]);
    const none = runCli(['deadletters'], { env });
    expect(none.stdout).toContain('there are no dead letters');
  });
});

describe('no head-of-line blocking in a busy triage channel', () => {
  it('100 cards for 100 tickets do not wait behind one failing card; each thread follows its card', async () => {
    const started = await start({ DELIVERY_BACKOFF_MAX_SECONDS: '1' });
    const othersPosted = () =>
      delivered().filter(
        (call) => /^card \d+ :$/.test(String(call.args.text)) && call.args.text !== 'card 1 :',
      ).length;
    // The first card fails (503) for as long as the other 99 are not all posted: if they waited
    // behind it, nothing would ever be delivered.
    slack.failNext(
      'chat.postMessage',
      { status: 503 },
      5000,
      (args) => args.text === 'card 1 :' && othersPosted() < 99,
    );
    // And one DM fails once: the DM after it must wait for it (order per DM is kept).
    slack.failNext('chat.postMessage', { status: 503 }, 1, (args) => args.text === 'dm 2 :');
    await queueCards(started, 100, 1);
    await queueDms(started, 4);
    await allSent(started, 120_000);
    const ok = delivered();
    expectEachOnceAndThreaded(ok, 100, 1);
    const texts = ok.map((call) => String(call.args.text));
    const firstCard = texts.indexOf('card 1 :');
    for (let n = 2; n <= 100; n++) expect(texts.indexOf(`card ${n} :`)).toBeLessThan(firstCard);
    // Its own reply waited for it.
    expect(texts.indexOf('card 1 reply 1 :')).toBeGreaterThan(firstCard);
    expect(ok.filter((call) => call.args.channel === 'D0BOB').map((call) => call.args.text)).toEqual(
      [1, 2, 3, 4].map((n) => `dm ${n} :`),
    );
  });
});

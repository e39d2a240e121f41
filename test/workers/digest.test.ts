import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_ID } from '../../src/app/chart-route.ts';
import type { OutMessage } from '../../src/core/chat/chat.ts';
import type { Db } from '../../src/core/db.ts';
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { type ChartRenderer, postDailyDigest } from '../../src/core/stats/digest.ts';
import { type PerDay, ticketsPerDay } from '../../src/core/stats/stats.service.ts';
import type { Priority } from '../../src/core/tickets/ticket.ts';
import { SETTING_KEYS } from '../../src/core/timers/settings.ts';
import { slashCommand } from '../slack/builders.ts';
import type { RecordedCall } from '../slack/fake-slack.ts';
import { ids } from '../slack/fixtures/index.ts';
import { people, type SlackAppHarness, startSlackApp } from '../slack/support.ts';
import { pngHeader } from '../support/png.ts';
import { freePort } from '../support/processes.ts';
import { consoleTriage, freshSchema, person, type TestDb, testDeps } from './support.ts';

const D = 86_400_000;
const NOW = '2026-11-26T08:00:00Z';

/** A week of tickets: `perDay[i]` priorities opened i days before `now`. */
async function seedWeek(db: Db, now: number, perDay: Priority[][]): Promise<number> {
  const requester = await db
    .insertInto('people')
    .values({ email: 'requester@example.com', display_name: 'Requester' })
    .returning('id')
    .executeTakeFirstOrThrow();
  let n = 0;
  for (const [daysAgo, priorities] of perDay.entries()) {
    for (const priority of priorities) {
      await ticketAt(
        db,
        requester.id,
        new Date(now - daysAgo * D - 3_600_000).toISOString(),
        priority,
        `Seeded ${++n}`,
      );
    }
  }
  return n;
}

const WEEK: Priority[][] = [['P1', 'P3'], ['P2', 'P2', 'P3'], [], ['P4'], ['P3', 'P3'], ['P1'], ['P2']];

describe('daily digest and its chart (core, real Postgres)', () => {
  let testDb: TestDb;
  const slackTriage = { platform: 'slack' as const, tenant: 'T1', channel: 'C1' };
  const teamsTriage = {
    platform: 'teams' as const,
    tenant: 'tenant-1',
    channel: '19:triage@thread.tacv2',
    data: { serviceUrl: 'https://smba.example/' },
  };

  const digestRows = async () =>
    (
      await testDb.db
        .selectFrom('outbox')
        .select(['body', 'target'])
        .where('purpose', '=', 'digest')
        .orderBy('id')
        .execute()
    ).map((row) => ({
      platform: (row.target as { platform: string }).platform,
      message: (row.body as { message: OutMessage }).message,
    }));

  beforeAll(async () => {
    testDb = await freshSchema('workers_digest');
    await person(testDb.db, 'Carol', 'admin');
    await seedWeek(testDb.db, Date.parse(NOW), WEEK);
    await setSetting(testDb.db, triageChannelKey('console'), consoleTriage, null);
    await setSetting(testDb.db, triageChannelKey('slack'), slackTriage, null);
    await setSetting(testDb.db, triageChannelKey('teams'), teamsTriage, null);
  });
  afterAll(async () => testDb?.close());

  it('attaches the chart on Slack and Teams, keeps the series as text on the console, and posts once', async () => {
    const { deps } = testDeps(testDb.db, NOW);
    const renders: Array<{ id: string; total: number; days: number; timeZone: string | undefined }> = [];
    const chart: ChartRenderer = async (perDay, id, timeZone) => {
      renders.push({
        id,
        total: perDay.reduce((s, d) => s + d.counts.P1 + d.counts.P2 + d.counts.P3 + d.counts.P4, 0),
        days: perDay.length,
        timeZone,
      });
      return `https://helpdesk.example.com/charts/${id}-abc.png`;
    };
    expect(await postDailyDigest(deps, { day: '2026-11-26' }, chart)).toBe('posted');
    expect(renders).toEqual([{ id: 'digest-2026-11-26', total: 10, days: 7, timeZone: 'UTC' }]);

    const rows = await digestRows();
    expect(rows.map((r) => r.platform).sort()).toEqual(['console', 'slack', 'teams']);
    for (const row of rows.filter((r) => r.platform !== 'console')) {
      expect(row.message.card?.imageUrl).toBe(
        'https://helpdesk.example.com/charts/digest-2026-11-26-abc.png',
      );
      expect(row.message.card?.imageAlt).toMatch(
        /^Tickets per day by priority, last 7 days\. 2026-11-20: 1 \(P2 1\); 2026-11-21: 1 \(P1 1\); /,
      );
      expect(row.message.card?.imageAlt).toContain('2026-11-25: 3 (P2 2, P3 1); 2026-11-26: 2 (P1 1, P3 1)');
      expect(row.message.card?.body).not.toContain('Tickets per day');
      expect(row.message.text).toContain('Tickets per day, last 7 days');
    }
    const consoleRow = rows.find((r) => r.platform === 'console');
    expect(consoleRow?.message.card?.imageUrl).toBeUndefined();
    expect(consoleRow?.message.card?.body).toContain('Tickets per day, last 7 days');

    expect(await postDailyDigest(deps, { day: '2026-11-26' }, chart)).toBe('duplicate');
    expect(renders).toHaveLength(1);
    expect(await digestRows()).toHaveLength(3);
  });

  it('posts the digest once, as text everywhere, when the chart renderer throws', async () => {
    const { deps } = testDeps(testDb.db, NOW);
    const failing: ChartRenderer = async () => {
      throw new Error('renderer exploded');
    };
    const before = (await digestRows()).length;
    expect(await postDailyDigest(deps, { day: '2026-11-27' }, failing)).toBe('posted');
    expect(await postDailyDigest(deps, { day: '2026-11-27' }, failing)).toBe('duplicate');
    const rows = (await digestRows()).slice(before);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.message.card?.imageUrl).toBeUndefined();
      expect(row.message.card?.body).toContain('Tickets per day, last 7 days');
    }
  });
});

/** Inserts one ticket opened at `at` (ISO) with `priority`. */
async function ticketAt(
  db: Db,
  requesterId: number,
  at: string,
  priority: Priority,
  title = `Opened ${at}`,
): Promise<void> {
  const when = new Date(at);
  await db
    .insertInto('tickets')
    .values({
      requester_id: requesterId,
      assignee_id: null,
      title,
      description: 'seeded',
      category: 'network',
      priority,
      status: 'new',
      intent: null,
      language: null,
      sentiment: null,
      self_service: false,
      source_conversation_id: null,
      source_event_id: null,
      resolution: null,
      csat: null,
      first_response_at: null,
      first_response_due_at: null,
      resolution_due_at: null,
      resolved_at: null,
      closed_at: null,
      created_at: when,
      updated_at: when,
    })
    .execute();
}

describe('the digest in its own time zone (core, real Postgres)', () => {
  let testDb: TestDb;
  // 08:00 UTC is 09:00 in Berlin and midnight in Los Angeles.
  const NOW_BERLIN = '2026-11-26T08:00:00.000Z';

  beforeAll(async () => {
    testDb = await freshSchema('workers_digest_tz');
    const { id } = await person(testDb.db, 'Carol', 'admin');
    const seeds: Array<[string, Priority]> = [
      ['2026-11-19T22:59:00Z', 'P1'], // 23:59 on the 19th in Berlin: before the window
      ['2026-11-19T23:30:00Z', 'P3'], // 00:30 on the 20th in Berlin: the first day
      ['2026-11-22T12:00:00Z', 'P2'],
      ['2026-11-25T22:30:00Z', 'P4'], // 23:30 on the 25th in Berlin
      ['2026-11-25T23:30:00Z', 'P1'], // 00:30 on the 26th in Berlin (the 25th in UTC)
      ['2026-11-26T07:59:00Z', 'P2'], // today in Berlin, the 25th in Los Angeles
    ];
    for (const [at, priority] of seeds) await ticketAt(testDb.db, id, at, priority);
    await setSetting(testDb.db, triageChannelKey('console'), consoleTriage, null);
    await setSetting(
      testDb.db,
      triageChannelKey('slack'),
      { platform: 'slack', tenant: 'T1', channel: 'C1' },
      null,
    );
    await setSetting(testDb.db, SETTING_KEYS.digestTz, 'Europe/Berlin', null);
  });
  afterAll(async () => testDb?.close());

  const posts = async () =>
    (
      await testDb.db
        .selectFrom('outbox')
        .select(['body', 'target', 'idempotency_key'])
        .where('purpose', '=', 'digest')
        .orderBy('id')
        .execute()
    ).map((row) => ({
      key: row.idempotency_key,
      platform: (row.target as { platform: string }).platform,
      message: (row.body as { message: OutMessage }).message,
    }));

  it('counts the last 7 local days ending today, the same in the chart and in the text', async () => {
    const { deps } = testDeps(testDb.db, NOW_BERLIN);
    let charted: PerDay = [];
    const chart: ChartRenderer = async (perDay, id, timeZone) => {
      charted = perDay;
      expect(timeZone).toBe('Europe/Berlin');
      return `https://helpdesk.example.com/charts/${id}-abc.png`;
    };
    expect(await postDailyDigest(deps, {}, chart)).toBe('posted');
    const zero = { P1: 0, P2: 0, P3: 0, P4: 0 };
    expect(charted).toEqual([
      { day: '2026-11-20', counts: { ...zero, P3: 1 } },
      { day: '2026-11-21', counts: zero },
      { day: '2026-11-22', counts: { ...zero, P2: 1 } },
      { day: '2026-11-23', counts: zero },
      { day: '2026-11-24', counts: zero },
      { day: '2026-11-25', counts: { ...zero, P4: 1 } },
      { day: '2026-11-26', counts: { ...zero, P1: 1, P2: 1 } },
    ]);
    const [consoleDigest, slackDigest] = await posts();
    // The daily digest claims the local date in Berlin and says so in its title.
    expect(consoleDigest?.key).toBe('digest-2026-11-26-console-it-triage');
    expect(consoleDigest?.message.card?.title).toBe('📊 Helpdesk digest · Thu 26 Nov 2026');
    expect(consoleDigest?.message.card?.body).toContain(
      [
        'Tickets per day, last 7 days (Europe/Berlin):',
        '11-20 ▇ 1 (P3:1)',
        '11-21  0',
        '11-22 ▇ 1 (P2:1)',
        '11-23  0',
        '11-24  0',
        '11-25 ▇ 1 (P4:1)',
        '11-26 ▇▇ 2 (P1:1 P2:1)',
      ].join('\n'),
    );
    expect(slackDigest?.message.card?.imageAlt).toBe(
      'Tickets per day by priority, last 7 days. 2026-11-20: 1 (P3 1); 2026-11-21: 0; 2026-11-22: 1 (P2 1); ' +
        '2026-11-23: 0; 2026-11-24: 0; 2026-11-25: 1 (P4 1); 2026-11-26: 2 (P1 1, P2 1)',
    );
  });

  it('counts by the zone’s own midnight: in Los Angeles today has only just begun', async () => {
    const perDay = await ticketsPerDay(testDb.db, new Date(NOW_BERLIN), 7, 'America/Los_Angeles');
    expect(perDay.map((d) => d.day)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]);
    const total = (day: string) => {
      const counts = perDay.find((d) => d.day === day)?.counts;
      return counts ? counts.P1 + counts.P2 + counts.P3 + counts.P4 : -1;
    };
    // 22:59 and 23:30 UTC on the 19th are the afternoon of the 19th in LA: before the window.
    expect([total('2026-11-20'), total('2026-11-22'), total('2026-11-25'), total('2026-11-26')]).toEqual([
      0, 1, 3, 0,
    ]);
  });

  it('titles `digest now` by its local time and keeps it apart from the daily claim', async () => {
    const { deps, clock } = testDeps(testDb.db, '2026-11-26T12:00:00.000Z');
    const before = (await posts()).length;
    expect(await postDailyDigest(deps, { manualAt: '2026-11-26T12:00:00.000Z' })).toBe('posted');
    expect(await postDailyDigest(deps, { manualAt: '2026-11-26T12:00:00.000Z' })).toBe('duplicate');
    clock.set('2026-11-26T12:05:30.000Z');
    expect(await postDailyDigest(deps, { manualAt: '2026-11-26T12:05:30.000Z' })).toBe('posted');
    // The day's own digest was posted by the first test; manual ones never stand in for it.
    expect(await postDailyDigest(deps, {})).toBe('duplicate');
    const manual = (await posts()).slice(before).filter((p) => p.platform === 'console');
    expect(manual.map((p) => p.message.card?.title)).toEqual([
      '📊 Helpdesk digest · Thu 26 Nov 2026, 13:00 (Europe/Berlin)',
      '📊 Helpdesk digest · Thu 26 Nov 2026, 13:05 (Europe/Berlin)',
    ]);
    expect(manual[0]?.message.text).toMatch(
      /^📊 Digest on request, Thu 26 Nov 2026, 13:00 \(Europe\/Berlin\)/,
    );
    const claims = await testDb.db.selectFrom('digests').select('day').orderBy('day').execute();
    expect(claims.map((c) => c.day)).toEqual([
      '2026-11-26',
      'manual-2026-11-26T12:00:00.000Z',
      'manual-2026-11-26T12:05:30.000Z',
    ]);

    // A new local day in Berlin is a new daily digest, even though it is still the 26th in UTC.
    clock.set('2026-11-26T23:30:00.000Z');
    expect(await postDailyDigest(deps, {})).toBe('posted');
    expect((await posts()).at(-1)?.message.card?.title).toBe('📊 Helpdesk digest · Fri 27 Nov 2026');
  });

  it('deletes stored charts older than 30 days when a digest is posted', async () => {
    const now = Date.parse('2026-11-28T08:00:00.000Z');
    const chart = (id: string, ageDays: number) => ({
      id,
      content_type: 'image/png',
      data: Buffer.from(id),
      created_at: new Date(now - ageDays * D),
    });
    await testDb.db
      .insertInto('charts')
      .values([chart('old-31d', 31), chart('old-30d-1s', 30 + 1 / 86_400), chart('recent-29d', 29)])
      .execute();
    const { deps } = testDeps(testDb.db, new Date(now).toISOString());
    const kept = async () =>
      (await testDb.db.selectFrom('charts').select('id').orderBy('id').execute()).map((c) => c.id);
    // A digest that is not posted (already claimed) prunes nothing.
    expect(await postDailyDigest(deps, { day: '2026-11-26' })).toBe('duplicate');
    expect(await kept()).toEqual(['old-30d-1s', 'old-31d', 'recent-29d']);
    expect(await postDailyDigest(deps, {})).toBe('posted');
    expect(await kept()).toEqual(['recent-29d']);
  });
});

const TRIAGE = ids.triage;
const isDigest = (call: RecordedCall) =>
  call.method === 'chat.postMessage' &&
  call.args.channel === TRIAGE &&
  String(call.args.blocks?.[0]?.text?.text ?? call.args.text).includes('digest');
const blocksOf = (call: RecordedCall | undefined): Array<Record<string, any>> => call?.args.blocks ?? [];

async function setUp(h: SlackAppHarness): Promise<void> {
  await seedWeek(h.app.deps.db, Date.now(), WEEK);
  const setup = slashCommand({
    user: people.dana.id,
    channel: TRIAGE,
    text: 'config triage-channel here',
    responseUrl: h.slack.responseUrl('setup'),
  });
  expect((await h.post({ form: setup.form })).status).toBe(200);
  await h.idle();
}

/** `/helpdesk digest now` from the admin; resolves with the digest post once Slack has it. */
async function digestNow(h: SlackAppHarness): Promise<RecordedCall> {
  const before = h.slack.calls.filter(isDigest).length;
  const command = slashCommand({
    user: people.dana.id,
    channel: TRIAGE,
    text: 'digest now',
    responseUrl: h.slack.responseUrl(`digest-${before}`),
  });
  expect((await h.post({ form: command.form })).status).toBe(200);
  await h.slack.waitFor((call) => isDigest(call) && h.slack.calls.filter(isDigest).length > before, 20_000);
  await h.idle();
  return h.slack.calls.filter(isDigest).at(-1) as RecordedCall;
}

describe('daily digest on Slack with PUBLIC_URL (whole app, real Postgres and Redis)', () => {
  let h: SlackAppHarness;
  let publicUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    h = await startSlackApp({ env: { PORT: String(port), PUBLIC_URL: `${publicUrl}/` } });
    await setUp(h);
  });
  afterAll(async () => h?.close());

  it('posts an image block whose URL the app itself serves as the chart PNG', async () => {
    const post = await digestNow(h);
    const blocks = blocksOf(post);
    const image = blocks.find((b) => b.type === 'image');
    expect(image?.alt_text).toMatch(/^Tickets per day by priority, last 7 days\./);
    const url = String(image?.image_url);
    expect(url.startsWith(`${publicUrl}/charts/digest-manual-`)).toBe(true);
    const id = url.slice(`${publicUrl}/charts/`.length, -'.png'.length);
    expect(id).toMatch(CHART_ID);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(pngHeader(Buffer.from(await response.arrayBuffer()))).toMatchObject({ width: 800, height: 400 });

    // With the chart shown, the card's text is the summary; the series stays in the fallback text.
    const sections = blocks.filter((b) => b.type === 'section').map((b) => String(b.text?.text ?? ''));
    expect(sections.join('\n')).not.toContain('Tickets per day, last 7 days');
    expect(post.args.text).toContain('Tickets per day, last 7 days');
    expect(h.slack.calls.filter(isDigest)).toHaveLength(1);
  });

  it('still posts the digest once, as text, when storing the chart fails', async () => {
    await h.app.deps.db.schema.dropTable('charts').execute();
    // The admin asks again later: `digest now` typed again within two minutes would be answered by
    // the first one (a retyped command), so the earlier commands are moved three minutes back.
    await sql`update inbound_events set received_at = received_at - interval '3 minutes'`.execute(
      h.app.deps.db,
    );
    const post = await digestNow(h);
    const blocks = blocksOf(post);
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
    expect(blocks.map((b) => String(b.text?.text ?? '')).join('\n')).toContain(
      'Tickets per day, last 7 days',
    );
    expect(h.slack.calls.filter(isDigest)).toHaveLength(2);
  });
});

describe('daily digest on Slack without PUBLIC_URL', () => {
  let h: SlackAppHarness;

  beforeAll(async () => {
    h = await startSlackApp();
    await setUp(h);
  });
  afterAll(async () => h?.close());

  it('posts the digest once as text, with the series in the card and no chart stored', async () => {
    const post = await digestNow(h);
    const blocks = blocksOf(post);
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
    expect(blocks.map((b) => String(b.text?.text ?? '')).join('\n')).toContain(
      'Tickets per day, last 7 days',
    );
    expect(h.slack.calls.filter(isDigest)).toHaveLength(1);
    expect(await h.app.deps.db.selectFrom('charts').select('id').execute()).toEqual([]);
  });
});

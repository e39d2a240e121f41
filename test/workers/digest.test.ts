import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_ID } from '../../src/app/chart-route.ts';
import type { OutMessage } from '../../src/core/chat/chat.ts';
import type { Db } from '../../src/core/db.ts';
import { setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { type ChartRenderer, postDailyDigest } from '../../src/core/stats/digest.ts';
import type { Priority } from '../../src/core/tickets/ticket.ts';
import { slashCommand } from '../slack/builders.ts';
import type { RecordedCall } from '../slack/fake-slack.ts';
import { ids } from '../slack/fixtures/index.ts';
import { people, type SlackAppHarness, startSlackApp } from '../slack/support.ts';
import { pngHeader } from '../support/png.ts';
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
      const at = new Date(now - daysAgo * D - 3_600_000);
      await db
        .insertInto('tickets')
        .values({
          requester_id: requester.id,
          assignee_id: null,
          title: `Seeded ${++n}`,
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
          created_at: at,
          updated_at: at,
        })
        .execute();
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
    const renders: Array<{ id: string; total: number }> = [];
    const chart: ChartRenderer = async (perDay, id) => {
      renders.push({
        id,
        total: perDay.reduce((s, d) => s + d.counts.P1 + d.counts.P2 + d.counts.P3 + d.counts.P4, 0),
      });
      return `https://helpdesk.example.com/charts/${id}-abc.png`;
    };
    expect(await postDailyDigest(deps, { day: '2026-11-26' }, chart)).toBe('posted');
    expect(renders).toEqual([{ id: 'digest-2026-11-26', total: 10 }]);

    const rows = await digestRows();
    expect(rows.map((r) => r.platform).sort()).toEqual(['console', 'slack', 'teams']);
    for (const row of rows.filter((r) => r.platform !== 'console')) {
      expect(row.message.card?.imageUrl).toBe(
        'https://helpdesk.example.com/charts/digest-2026-11-26-abc.png',
      );
      expect(row.message.card?.imageAlt).toMatch(
        /^Tickets per day by priority, last 7 days\. 2026-11-19: 0; /,
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

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

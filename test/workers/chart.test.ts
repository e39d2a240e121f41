import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartIdFor, createChartRenderer, perDaySvg, renderPerDayPng } from '../../src/app/chart.ts';
import { CHART_ID, mountChartRoute } from '../../src/app/chart-route.ts';
import { createHttpServer } from '../../src/app/http.ts';
import { createMetrics } from '../../src/app/metrics.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/core/logger.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { PerDay } from '../../src/core/stats/stats.service.ts';
import { countColour, countDark, decodePng, PNG_SIGNATURE, pngHeader } from '../support/png.ts';
import { freshSchema, type TestDb } from './support.ts';

const DAYS = [
  '2026-11-20',
  '2026-11-21',
  '2026-11-22',
  '2026-11-23',
  '2026-11-24',
  '2026-11-25',
  '2026-11-26',
];
const week = (counts: (i: number) => [number, number, number, number]): PerDay =>
  DAYS.map((day, i) => {
    const [P1, P2, P3, P4] = counts(i);
    return { day, counts: { P1, P2, P3, P4 } };
  });

const busy = week((i) => [i % 3 === 0 ? 1 : 0, i % 4, 2 + (i % 3), 1]);
const noP1 = week((i) => [0, i % 4, 2 + (i % 3), 1]);
const SIZE = { width: 640, height: 320 };
/** The plot area inside the chart's fixed grid margins (left 56, right 24, top 84, bottom 44). */
const PLOT = { x: 56, y: 84, width: SIZE.width - 80, height: SIZE.height - 128 };

let testDb: TestDb;
let http: FastifyInstance;
let base: string;

beforeAll(async () => {
  testDb = await freshSchema('workers_chart');
  http = createHttpServer({
    log: silentLogger,
    metrics: createMetrics(),
    ready: async () => ({ database: true, queue: true }),
  });
  mountChartRoute(http, testDb.db);
  base = await http.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await http?.close();
  await testDb?.close();
});

describe('digest chart rendering', () => {
  it('draws a PNG of the configured size with legible text from the bundled font', async () => {
    const png = await renderPerDayPng(busy, SIZE);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngHeader(png)).toMatchObject({ width: 640, height: 320, bitDepth: 8 });
    expect(png.length).toBeGreaterThan(5_000);
    expect(png.length).toBeLessThan(300_000);

    const pixels = decodePng(png);
    // Title (top left) and the day labels under the axis are drawn: without a font they stay white.
    expect(countDark(pixels, { x: 0, y: 0, width: 300, height: 40 })).toBeGreaterThan(300);
    expect(
      countDark(pixels, { x: PLOT.x, y: SIZE.height - 40, width: PLOT.width, height: 30 }),
    ).toBeGreaterThan(300);
    // Every priority with tickets shows up as bars in its colour.
    for (const colour of ['#c0392b', '#e67e22', '#2e86c1', '#95a5a6'])
      expect(countColour(pixels, colour, PLOT)).toBeGreaterThan(100);
  });

  it('draws what the data says: no P1 tickets, no P1 bars (the legend keeps its swatch)', async () => {
    const pixels = decodePng(await renderPerDayPng(noP1, SIZE));
    expect(countColour(pixels, '#c0392b', PLOT)).toBe(0);
    expect(countColour(pixels, '#c0392b', { x: 0, y: 0, width: SIZE.width, height: 60 })).toBeGreaterThan(20);
    expect(countColour(pixels, '#2e86c1', PLOT)).toBeGreaterThan(100);
  });

  it('renders the same data to the same bytes and different data to different bytes', async () => {
    const [a, b, c] = await Promise.all([
      renderPerDayPng(busy, SIZE),
      renderPerDayPng(busy, SIZE),
      renderPerDayPng(noP1, SIZE),
    ]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(chartIdFor('digest-2026-11-26', a)).toBe(chartIdFor('digest-2026-11-26', b));
    expect(chartIdFor('digest-2026-11-26', a)).not.toBe(chartIdFor('digest-2026-11-26', c));
  });

  it('labels the axis, the legend and each day’s total in the SVG', () => {
    const svg = perDaySvg(busy, SIZE);
    for (const text of ['Tickets per day by priority', 'P1', 'P4', 'Fri 20 Nov', 'Thu 26 Nov'])
      expect(svg).toContain(text);
    // Thu 26 Nov: P1 0, P2 2, P3 2, P4 1 → 5 on top of the stack.
    expect(svg).toMatch(/>5</);
    expect(svg).toContain('2026-11-20 – 2026-11-26 (UTC)');
  });

  it('names the time zone the days are local dates in', () => {
    expect(perDaySvg(busy, SIZE, 'Europe/Berlin')).toContain('2026-11-20 – 2026-11-26 (Europe/Berlin)');
  });

  it('gives an empty week a readable axis instead of failing', async () => {
    const png = await renderPerDayPng(
      week(() => [0, 0, 0, 0]),
      SIZE,
    );
    expect(pngHeader(png)).toMatchObject(SIZE);
  });

  it('makes URL-safe ids from any name', () => {
    const png = Buffer.from('x');
    expect(chartIdFor('digest-manual-2026-11-26T12:00:00.000Z', png)).toMatch(
      /^digest-manual-2026-11-26t12-00-00-000z-[0-9a-f]{16}$/,
    );
    expect(chartIdFor('../../etc/passwd', png)).toMatch(CHART_ID);
    expect(chartIdFor('', png)).toMatch(/^chart-[0-9a-f]{16}$/);
  });
});

describe('stored charts and GET /charts/<id>.png', () => {
  it('stores the PNG once per image and serves the exact bytes at the URL it returns', async () => {
    const render = createChartRenderer({
      db: testDb.db,
      clock: fixedClock('2026-11-26T08:00:00Z'),
      log: silentLogger,
      publicUrl: base,
      size: SIZE,
    });
    const url = await render(busy, 'digest-2026-11-26');
    expect(url).toMatch(new RegExp(`^${base}/charts/digest-2026-11-26-[0-9a-f]{16}\\.png$`));
    expect(await render(busy, 'digest-2026-11-26')).toBe(url);
    const rows = await testDb.db.selectFrom('charts').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.content_type).toBe('image/png');

    const response = await fetch(url as string);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.equals(rows[0]?.data as Buffer)).toBe(true);
    expect(served.equals(await renderPerDayPng(busy, SIZE))).toBe(true);
    expect(pngHeader(served)).toMatchObject(SIZE);

    const other = await render(noP1, 'digest-2026-11-26');
    expect(other).not.toBe(url);
    expect(await testDb.db.selectFrom('charts').select('id').execute()).toHaveLength(2);
  });

  it('answers 404 for unknown charts and other files, 400 for ids outside [a-z0-9-]', async () => {
    const status = async (path: string) => (await fetch(`${base}${path}`)).status;
    expect(await status('/charts/digest-1999-01-01-0000000000000000.png')).toBe(404);
    expect(await status('/charts/digest.svg')).toBe(404);
    expect(await status('/charts/Digest.png')).toBe(400);
    expect(await status('/charts/a_b.png')).toBe(400);
    expect(await status('/charts/a.b.png')).toBe(400);
    expect(await status('/charts/%2e%2e%2fsecret.png')).toBe(400);
    expect(await status('/charts/.png')).toBe(400);
  });

  it('logs a failure and returns null instead of throwing, so the digest can go out as text', async () => {
    const warnings: unknown[] = [];
    const log: Logger = {
      ...silentLogger,
      warn: (obj) => void warnings.push(obj),
      child: () => log,
    };
    const broken = await freshSchema('workers_chart_broken');
    try {
      await broken.db.schema.dropTable('charts').execute();
      const render = createChartRenderer({
        db: broken.db,
        clock: fixedClock('2026-11-26T08:00:00Z'),
        log,
        publicUrl: base,
      });
      expect(await render(busy, 'digest-2026-11-26')).toBeNull();
      expect(warnings).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });
});

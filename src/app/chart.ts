/**
 * The digest chart: tickets per day by priority as a stacked bar chart, drawn by ECharts' server-side
 * SVG renderer and rasterised to PNG by resvg with the bundled DejaVu fonts (so text renders on hosts
 * with no system fonts). PNGs live in the `charts` table and are served by `chart-route.ts`.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { Clock } from '../core/clock.ts';
import type { DbOrTx } from '../core/db.ts';
import type { Logger } from '../core/logger.ts';
import type { ChartRenderer } from '../core/stats/digest.ts';
import { dayTotal, type PerDay } from '../core/stats/stats.service.ts';
import { PRIORITIES, type Priority } from '../core/tickets/ticket.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];
const FONT_FAMILY = 'DejaVu Sans';

/** P1 the loudest; colours stay distinguishable for the common colour-vision deficiencies. */
const PRIORITY_COLORS: Record<Priority, string> = {
  P1: '#c0392b',
  P2: '#e67e22',
  P3: '#2e86c1',
  P4: '#95a5a6',
};

export interface ChartSize {
  width: number;
  height: number;
}

export const DEFAULT_CHART_SIZE: ChartSize = { width: 800, height: 400 };

function dayLabel(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(date);
}

/** The stacked bar chart as an SVG document (ECharts SSR; no DOM); the days are local dates in `timeZone`. */
export function perDaySvg(perDay: PerDay, size: ChartSize = DEFAULT_CHART_SIZE, timeZone = 'UTC'): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    const totals = perDay.map(dayTotal);
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: {
        text: 'Tickets per day by priority',
        subtext: `${perDay[0]?.day ?? ''} – ${perDay.at(-1)?.day ?? ''} (${timeZone})`,
        left: 16,
        top: 12,
        textStyle: { fontFamily: FONT_FAMILY, fontSize: 18, fontWeight: 'bold', color: '#1f2d3d' },
        subtextStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: '#5d6d7e' },
      },
      legend: {
        top: 18,
        right: 16,
        itemGap: 14,
        textStyle: { fontFamily: FONT_FAMILY, fontSize: 13, color: '#1f2d3d' },
        data: [...PRIORITIES],
      },
      grid: { left: 56, right: 24, top: 84, bottom: 44 },
      xAxis: {
        type: 'category',
        data: perDay.map((d) => dayLabel(d.day)),
        axisLabel: { fontFamily: FONT_FAMILY, fontSize: 12, color: '#34495e' },
        axisTick: { alignWithLabel: true },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        // An empty week still gets a readable 0–1 axis instead of a collapsed one.
        ...(Math.max(0, ...totals) === 0 ? { max: 1 } : {}),
        axisLabel: { fontFamily: FONT_FAMILY, fontSize: 12, color: '#34495e' },
        splitLine: { lineStyle: { color: '#e5e8e8' } },
      },
      series: PRIORITIES.map((priority, index) => ({
        name: priority,
        type: 'bar',
        stack: 'tickets',
        barMaxWidth: 56,
        itemStyle: { color: PRIORITY_COLORS[priority] },
        data: perDay.map((d) => d.counts[priority]),
        // The day's total sits on top of the stack, carried by the last series.
        ...(index === PRIORITIES.length - 1
          ? {
              label: {
                show: true,
                position: 'top',
                fontFamily: FONT_FAMILY,
                fontSize: 12,
                fontWeight: 'bold',
                color: '#1f2d3d',
                formatter: ({ dataIndex }: { dataIndex: number }) => String(totals[dataIndex] ?? ''),
              },
            }
          : {}),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as PNG bytes at exactly `size` pixels. */
export async function renderPerDayPng(
  perDay: PerDay,
  size: ChartSize = DEFAULT_CHART_SIZE,
  timeZone = 'UTC',
): Promise<Buffer> {
  const svg = perDaySvg(perDay, size, timeZone);
  // renderAsync rasterises on libuv's thread pool, so a worker's event loop keeps serving jobs.
  const image = await renderAsync(svg, {
    fitTo: { mode: 'width', value: size.width },
    background: '#ffffff',
    font: {
      fontFiles: FONT_FILES,
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  });
  return image.asPng();
}

/**
 * A stored chart's id (`[a-z0-9-]+`, as the route accepts): the caller's name made URL-safe plus a
 * hash of the bytes, so identical images share one row and the URL cannot be guessed from the day.
 */
export function chartIdFor(name: string, png: Buffer): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 150) || 'chart';
  return `${slug}-${createHash('sha256').update(png).digest('hex').slice(0, 16)}`;
}

export async function storeChart(db: DbOrTx, id: string, png: Buffer, at: Date): Promise<void> {
  await db
    .insertInto('charts')
    .values({ id, content_type: 'image/png', data: png, created_at: at })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        content_type: eb.ref('excluded.content_type'),
        data: eb.ref('excluded.data'),
      })),
    )
    .execute();
}

export interface ChartRendererDeps {
  db: DbOrTx;
  clock: Clock;
  log: Logger;
  /** PUBLIC_URL without a trailing slash: where Slack and Teams fetch `/charts/<id>.png`. */
  publicUrl: string;
  size?: ChartSize | undefined;
}

/** The digest's ChartRenderer: render, store, return the public URL; any failure logs and yields null. */
export function createChartRenderer(deps: ChartRendererDeps): ChartRenderer {
  const log = deps.log.child({ component: 'chart' });
  return async (perDay, name, timeZone = 'UTC') => {
    try {
      const png = await renderPerDayPng(perDay, deps.size ?? DEFAULT_CHART_SIZE, timeZone);
      const id = chartIdFor(name, png);
      await storeChart(deps.db, id, png, deps.clock.now());
      return `${deps.publicUrl}/charts/${id}.png`;
    } catch (error) {
      log.warn({ err: error, chart: name }, 'digest chart failed; the digest goes out as text');
      return null;
    }
  };
}

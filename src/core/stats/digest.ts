/**
 * The daily digest: the figures of the last 24 hours plus tickets per day by priority over the last
 * 7 local days, posted once per local day (in the digest time zone) to every triage channel; `digest
 * now` posts an extra one that does not take the day's claim. Platforms that show images get a chart
 * when the app supplies a renderer; the rest get the same series as text.
 */
import type { OutMessage } from '../chat/chat.ts';
import type { CoreDeps } from '../deps.ts';
import type { JobData } from '../jobs/jobs.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { getSetting, triageChannels } from '../settings/settings.ts';
import { localDateTime } from '../sla/calendar.ts';
import { PRIORITIES } from '../tickets/ticket.ts';
import { SETTING_KEYS } from '../timers/settings.ts';
import { unitOfWork } from '../unit-of-work.ts';
import { formatStats } from './stats.format.ts';
import { computeStats, dayTotal, type PerDay, ticketsPerDay } from './stats.service.ts';

/**
 * Renders the per-day series (local dates in `timeZone`, default UTC) to an image and returns its
 * public URL, or null when it cannot.
 */
export type ChartRenderer = (perDay: PerDay, id: string, timeZone?: string) => Promise<string | null>;

const IMAGE_PLATFORMS = new Set(['slack', 'teams']);

export const DEFAULT_DIGEST_TIME = '08:00';
export const DEFAULT_DIGEST_TZ = 'UTC';
/** Local days in the digest's series, today included. */
export const DIGEST_DAYS = 7;
/** Stored chart images older than this are deleted when a digest is posted. */
export const CHART_RETENTION_MS = 30 * 86_400_000;

/** `HH:MM` and an IANA zone as a cron pattern for the job scheduler. */
export function digestCron(time: string): string | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time.trim());
  return match ? `${Number(match[2])} ${Number(match[1])} * * *` : null;
}

export async function digestSchedule(db: CoreDeps['db']): Promise<{ time: string; tz: string }> {
  return {
    time: (await getSetting<string>(db, SETTING_KEYS.digestTime)) ?? DEFAULT_DIGEST_TIME,
    tz: (await getSetting<string>(db, SETTING_KEYS.digestTz)) ?? DEFAULT_DIGEST_TZ,
  };
}

/** The series as text bars, for channels that cannot show the chart. */
export function perDayText(perDay: PerDay): string {
  return perDay
    .map((d) => {
      const total = dayTotal(d);
      const split = PRIORITIES.filter((p) => d.counts[p] > 0)
        .map((p) => `${p}:${d.counts[p]}`)
        .join(' ');
      return `${d.day.slice(5)} ${'▇'.repeat(Math.min(total, 30))} ${total}${split ? ` (${split})` : ''}`;
    })
    .join('\n');
}

/** The series in words, as the chart's alt text. */
export function perDayAlt(perDay: PerDay): string {
  return perDay
    .map((d) => {
      const total = dayTotal(d);
      const split = PRIORITIES.filter((p) => d.counts[p] > 0).map((p) => `${p} ${d.counts[p]}`);
      return `${d.day}: ${total}${split.length ? ` (${split.join(', ')})` : ''}`;
    })
    .join('; ');
}

/** A renderer that throws must not cost the digest: it goes out as text instead. */
async function chartUrl(
  deps: CoreDeps,
  renderChart: ChartRenderer,
  perDay: PerDay,
  name: string,
  timeZone: string,
): Promise<string | null> {
  try {
    return await renderChart(perDay, `digest-${name}`, timeZone);
  } catch (error) {
    deps.log.warn({ err: error, digest: name }, 'digest chart failed; posting the digest as text');
    return null;
  }
}

/** `Thu 26 Nov 2026` for a local date (`YYYY-MM-DD`); anything else as it is. */
function readableDate(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  })
    .format(date)
    .replace(',', '');
}

/**
 * What one digest run is: the daily one claims its local date once; a manual one (`digest now`)
 * claims its own request time, so it never stands in for the day's digest.
 */
function digestRun(data: JobData<'digest'>, now: Date, timeZone: string) {
  if (data.manualAt) {
    const at = new Date(data.manualAt);
    const local = localDateTime(Number.isNaN(at.getTime()) ? now.getTime() : at.getTime(), timeZone);
    const when = `${readableDate(local.date)}, ${local.time} (${timeZone})`;
    return {
      claim: `manual-${data.manualAt}`,
      name: `manual-${local.date}-${local.time.replace(':', '')}`,
      title: `Helpdesk digest · ${when}`,
      heading: `Digest on request, ${when} (last 24 hours)`,
    };
  }
  const day = data.day ?? localDateTime(now.getTime(), timeZone).date;
  return {
    claim: day,
    name: day,
    title: `Helpdesk digest · ${readableDate(day)}`,
    heading: `Daily digest for ${readableDate(day)} (last 24 hours)`,
  };
}

/** Old chart images go when a new digest is posted; failing to prune never costs the digest. */
async function pruneCharts(deps: CoreDeps, now: Date): Promise<void> {
  try {
    await deps.db
      .deleteFrom('charts')
      .where('created_at', '<', new Date(now.getTime() - CHART_RETENTION_MS))
      .execute();
  } catch (error) {
    deps.log.warn({ err: error }, 'could not prune old digest charts');
  }
}

export async function postDailyDigest(
  deps: CoreDeps,
  data: JobData<'digest'>,
  renderChart?: ChartRenderer,
): Promise<'posted' | 'duplicate' | 'no-channel'> {
  const now = deps.clock.now();
  const { tz } = await digestSchedule(deps.db);
  const run = digestRun(data, now, tz);
  const channels = await triageChannels(deps.db);
  if (channels.length === 0) return 'no-channel';
  // A re-run for a day already posted stops here, before the figures and the chart are redone.
  const posted = await deps.db
    .selectFrom('digests')
    .select('day')
    .where('day', '=', run.claim)
    .executeTakeFirst();
  if (posted) return 'duplicate';
  const daily = await computeStats(deps.db, now, 1);
  const perDay = await ticketsPerDay(deps.db, now, DIGEST_DAYS, tz);
  const summary = formatStats(daily, run.heading);
  const series = `Tickets per day, last ${DIGEST_DAYS} days (${tz}):\n${perDayText(perDay)}`;
  const needsImage = channels.some((c) => IMAGE_PLATFORMS.has(c.platform));
  const imageUrl = needsImage && renderChart ? await chartUrl(deps, renderChart, perDay, run.name, tz) : null;
  const outcome = await unitOfWork(deps, async (tx) => {
    const claimed = await tx
      .insertInto('digests')
      .values({ day: run.claim, created_at: now })
      .onConflict((oc) => oc.column('day').doNothing())
      .returning('day')
      .executeTakeFirst();
    if (!claimed) return 'duplicate' as const;
    for (const channel of channels) {
      const image = imageUrl && IMAGE_PLATFORMS.has(channel.platform) ? imageUrl : undefined;
      const message: OutMessage = {
        text: `${summary}\n\n${series}`,
        card: {
          kind: 'digest',
          title: `📊 ${run.title}`,
          body: image ? summary : `${summary}\n\n${series}`,
          imageUrl: image,
          imageAlt: image
            ? `Tickets per day by priority, last ${DIGEST_DAYS} days. ${perDayAlt(perDay)}`
            : undefined,
          context: '`stats 7d` or `stats 30d` for more',
        },
      };
      await queueMessage(tx, {
        key: `digest-${run.claim}-${channel.platform}-${channel.channel}`,
        op: 'post',
        target: { ...channel, thread: undefined },
        message,
        purpose: 'digest',
      });
    }
    return 'posted' as const;
  });
  if (outcome === 'posted') await pruneCharts(deps, now);
  return outcome;
}

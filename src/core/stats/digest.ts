/**
 * The daily digest: yesterday's figures (the last 24 hours) plus a week of tickets per day by
 * priority, posted once per local day to every triage channel. Platforms that show images get a
 * chart when the app supplies a renderer; the rest get the same series as text.
 */
import type { OutMessage } from '../chat/chat.ts';
import type { CoreDeps } from '../deps.ts';
import type { JobData } from '../jobs/jobs.ts';
import { queueMessage } from '../outbox/outbox.ts';
import { getSetting, triageChannels } from '../settings/settings.ts';
import { SETTING_KEYS } from '../sla/worker-settings.ts';
import { PRIORITIES } from '../tickets/ticket.ts';
import { unitOfWork } from '../unit-of-work.ts';
import { formatStats } from './stats.format.ts';
import { computeStats, type StatsReport } from './stats.service.ts';

/** Renders the per-day series to an image and returns its public URL, or null when it cannot. */
export type ChartRenderer = (perDay: StatsReport['perDay'], id: string) => Promise<string | null>;

const IMAGE_PLATFORMS = new Set(['slack', 'teams']);

export const DEFAULT_DIGEST_TIME = '08:00';
export const DEFAULT_DIGEST_TZ = 'UTC';

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
export function perDayText(perDay: StatsReport['perDay']): string {
  return perDay
    .map((d) => {
      const total = PRIORITIES.reduce((sum, p) => sum + d.counts[p], 0);
      const split = PRIORITIES.filter((p) => d.counts[p] > 0)
        .map((p) => `${p}:${d.counts[p]}`)
        .join(' ');
      return `${d.day.slice(5)} ${'▇'.repeat(Math.min(total, 30))} ${total}${split ? ` (${split})` : ''}`;
    })
    .join('\n');
}

/** The series in words, as the chart's alt text. */
export function perDayAlt(perDay: StatsReport['perDay']): string {
  return perDay
    .map((d) => {
      const total = PRIORITIES.reduce((sum, p) => sum + d.counts[p], 0);
      const split = PRIORITIES.filter((p) => d.counts[p] > 0).map((p) => `${p} ${d.counts[p]}`);
      return `${d.day}: ${total}${split.length ? ` (${split.join(', ')})` : ''}`;
    })
    .join('; ');
}

/** A renderer that throws must not cost the digest: it goes out as text instead. */
async function chartUrl(
  deps: CoreDeps,
  renderChart: ChartRenderer,
  perDay: StatsReport['perDay'],
  day: string,
): Promise<string | null> {
  try {
    return await renderChart(perDay, `digest-${day}`);
  } catch (error) {
    deps.log.warn({ err: error, day }, 'digest chart failed; posting the digest as text');
    return null;
  }
}

function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export async function postDailyDigest(
  deps: CoreDeps,
  data: JobData<'digest'>,
  renderChart?: ChartRenderer,
): Promise<'posted' | 'duplicate' | 'no-channel'> {
  const now = deps.clock.now();
  const { tz } = await digestSchedule(deps.db);
  const day = data.day ?? localDay(now, tz);
  const channels = await triageChannels(deps.db);
  if (channels.length === 0) return 'no-channel';
  // A re-run for a day already posted stops here, before the figures and the chart are redone.
  const posted = await deps.db.selectFrom('digests').select('day').where('day', '=', day).executeTakeFirst();
  if (posted) return 'duplicate';
  const daily = await computeStats(deps.db, now, 1);
  const week = await computeStats(deps.db, now, 7);
  const summary = formatStats(daily, `Daily digest for ${day} (last 24 hours)`);
  const series = `Tickets per day, last 7 days:\n${perDayText(week.perDay)}`;
  const needsImage = channels.some((c) => IMAGE_PLATFORMS.has(c.platform));
  const imageUrl = needsImage && renderChart ? await chartUrl(deps, renderChart, week.perDay, day) : null;
  return unitOfWork(deps, async (tx) => {
    const claimed = await tx
      .insertInto('digests')
      .values({ day, created_at: now })
      .onConflict((oc) => oc.column('day').doNothing())
      .returning('day')
      .executeTakeFirst();
    if (!claimed) return 'duplicate';
    for (const channel of channels) {
      const image = imageUrl && IMAGE_PLATFORMS.has(channel.platform) ? imageUrl : undefined;
      const message: OutMessage = {
        text: `${summary}\n\n${series}`,
        card: {
          kind: 'digest',
          title: `📊 Helpdesk digest · ${day}`,
          body: image ? summary : `${summary}\n\n${series}`,
          imageUrl: image,
          imageAlt: image ? `Tickets per day by priority, last 7 days. ${perDayAlt(week.perDay)}` : undefined,
          context: '`stats 7d` or `stats 30d` for more',
        },
      };
      await queueMessage(tx, {
        key: `digest-${day}-${channel.platform}-${channel.channel}`,
        op: 'post',
        target: { ...channel, thread: undefined },
        message,
        purpose: 'digest',
      });
    }
    return 'posted';
  });
}

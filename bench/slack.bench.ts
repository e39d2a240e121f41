/**
 * Ack latency of `POST /slack/events`: signed message.im events sent at a fixed rate (open loop)
 * to the helpdesk's Slack adapter (signature check, Bolt, inbox insert on Postgres; the enqueue on
 * Redis follows the answer) and to a bare Bolt app that only acks (Bolt's own HTTPReceiver), in
 * alternating phases of BENCH_SLACK_PHASE events (default 100), so both see the same machine load.
 * A third phase times the durable insert alone (the same row, pool and pacing): bare Bolt's ack plus
 * that insert is about the floor of any adapter that acks only once the event is stored.
 * Prints p50/p99 for each, the ratios and their floors, the load average, and events lost (sent but
 * not recorded, or not answered 200; must be 0). BENCH_SLACK_EVENTS (default 1000 each) and BENCH_SLACK_RATE
 * (events per second, default 200).
 */
import { loadavg } from 'node:os';
import { App, LogLevel } from '@slack/bolt';
import type { Database } from '../src/app/database.ts';
import { messageEvent } from '../test/slack/builders.ts';
import { SIGNING_SECRET, slackSignature, startSlackTransport } from '../test/slack/support.ts';
import { freePort } from '../test/support/processes.ts';

const EVENTS = Number(process.env.BENCH_SLACK_EVENTS ?? 1000);
const RATE = Number(process.env.BENCH_SLACK_RATE ?? 200);
const WARM_UP = 50;
const PHASE = Number(process.env.BENCH_SLACK_PHASE ?? 100);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Measured {
  p50: number;
  p99: number;
  max: number;
  non200: number;
  eventIds: string[];
  latencies: number[];
}

function summary(parts: Array<Pick<Measured, 'latencies' | 'non200' | 'eventIds'>>): Measured {
  const latencies = parts.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const round = (ms: number) => Number(ms.toFixed(2));
  return {
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? 0),
    non200: parts.reduce((n, p) => n + p.non200, 0),
    eventIds: parts.flatMap((p) => p.eventIds),
    latencies,
  };
}

let sequence = 0;

/** `count` DM events, each handed out at its time for `rate`/s (open loop). */
async function* paced(label: string, count: number, rate: number) {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    yield messageEvent({
      user: `U0BENCH${i % 50}`,
      channel: `D0BENCH${i % 50}`,
      text: `bench ${label} ${sequence++}: the printer on floor ${i % 7} is jammed`,
    });
  }
}

/** Sends `count` signed DMs at `rate`/s without waiting for answers, timing each request. */
async function measure(baseUrl: string, label: string, count: number, rate: number): Promise<Measured> {
  const latencies: number[] = [];
  const eventIds: string[] = [];
  let non200 = 0;
  const inFlight: Array<Promise<void>> = [];
  for await (const body of paced(label, count, rate)) {
    eventIds.push(body.event_id);
    const raw = JSON.stringify(body);
    const sentAt = performance.now();
    inFlight.push(
      fetch(`${baseUrl}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...slackSignature(raw) },
        body: raw,
      }).then(async (response) => {
        await response.arrayBuffer();
        latencies.push(performance.now() - sentAt);
        if (response.status !== 200) non200++;
      }),
    );
  }
  await Promise.all(inFlight);
  return summary([{ latencies, non200, eventIds }]);
}

/**
 * The floor under the helpdesk's ack: the one durable insert it waits for, alone (the same row, the
 * same Kysely pool, the same pacing), timed in the same alternating phases.
 */
async function measureInsert(db: Database['db'], count: number, rate: number): Promise<Measured> {
  const latencies: number[] = [];
  for await (const body of paced('insert', count, rate)) {
    const sentAt = performance.now();
    await db
      .insertInto('inbound_events')
      .values({
        platform: 'bench-insert',
        event_id: body.event_id,
        kind: 'message',
        payload: JSON.stringify(body),
        lane: `bench|${body.event.channel}`,
        error: null,
        processed_at: null,
      })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    latencies.push(performance.now() - sentAt);
  }
  return summary([{ latencies, non200: 0, eventIds: [] }]);
}

async function startBareBolt(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const bolt = new App({
    signingSecret: SIGNING_SECRET,
    authorize: async () => ({ botToken: 'xoxb-bench', botUserId: 'U0HDBOT', botId: 'B0HDBOT' }),
    logLevel: LogLevel.ERROR,
  });
  // Events API requests are acked by Bolt before listeners run; this listener does nothing.
  bolt.message(async () => {});
  await bolt.start(port);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await bolt.stop();
    },
  };
}

export async function run(): Promise<void> {
  const helpdesk = await startSlackTransport();
  const bare = await startBareBolt();
  try {
    await measure(helpdesk.url, 'warm', WARM_UP, RATE);
    await measure(bare.url, 'warm', WARM_UP, RATE);
    const oursParts: Measured[] = [];
    const bareParts: Measured[] = [];
    const insertParts: Measured[] = [];
    for (let sent = 0; sent < EVENTS; sent += PHASE) {
      const count = Math.min(PHASE, EVENTS - sent);
      oursParts.push(await measure(helpdesk.url, 'helpdesk', count, RATE));
      bareParts.push(await measure(bare.url, 'bare', count, RATE));
      insertParts.push(await measureInsert(helpdesk.database.db, count, RATE));
    }
    const ours = summary(oursParts);
    const baseline = summary(bareParts);
    const insert = summary(insertParts);

    const stored = await helpdesk.database.db
      .selectFrom('inbound_events')
      .select('event_id')
      .where('event_id', 'in', ours.eventIds)
      .execute();
    const lost = ours.eventIds.length - stored.length + ours.non200;
    const line = (target: string, m: Measured) => ({
      bench: 'slack-ack',
      target,
      events: EVENTS,
      ratePerSecond: RATE,
      phase: PHASE,
      p50Ms: m.p50,
      p99Ms: m.p99,
      maxMs: m.max,
      non200: m.non200,
    });
    console.log(JSON.stringify(line('helpdesk', ours)));
    console.log(JSON.stringify(line('bare-bolt', baseline)));
    console.log(JSON.stringify({ ...line('insert-alone', insert), non200: undefined }));
    const ratio = (a: number, b: number) => Number((a / Math.max(b, 0.01)).toFixed(2));
    console.log(
      JSON.stringify({
        bench: 'slack-ack',
        p50Ratio: ratio(ours.p50, baseline.p50),
        p99Ratio: ratio(ours.p99, baseline.p99),
        /** About the lowest ratios an adapter acking after this insert can reach: bare Bolt + the insert. */
        p50RatioFloor: ratio(baseline.p50 + insert.p50, baseline.p50),
        p99RatioFloor: ratio(baseline.p99 + insert.p99, baseline.p99),
        /** What the adapter adds beyond Bolt's own ack and the insert (p50s). */
        adapterP50Ms: Number((ours.p50 - baseline.p50 - insert.p50).toFixed(2)),
        eventsLost: lost,
        load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      }),
    );
  } finally {
    await bare.stop();
    await helpdesk.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/**
 * DM → ack (the 200 to Slack), DM → the requester's reply and DM → the ticket card, at fixed rates,
 * through real `helpdesk serve` ×BENCH_SERVES (default 2) and `helpdesk worker` ×N processes on one
 * Postgres and Redis, Slack's Web API faked. For each worker count in BENCH_WORKERS (default "1"; the
 * sizing run is "1,2,4") and each rate in BENCH_RATES (DMs per second, default "2,20,50"), sends
 * BENCH_SECONDS (default 10) of signed DMs (open loop) and waits until every DM is answered and
 * carded. Then, unless BENCH_SATURATION=0, doubles the rate from the last one until ack p95 or
 * reply p95 passes 1 s and reports the highest rate that kept both under it (the saturation rate).
 * One JSON line per run, with lost and duplicated (both must be 0) and the load average.
 */
import { setSetting, triageChannelKey } from '../src/core/settings/settings.ts';
import { type FakeSlack, startFakeSlack } from '../test/slack/fake-slack.ts';
import { killRunning, type RunningCli } from '../test/support/cli.ts';
import { TEST_REDIS_URL } from '../test/support/db.ts';
import {
  prepareStack,
  type Serve,
  type Stack,
  startServe,
  startWorker,
  stopGracefully,
} from '../test/support/processes.ts';
import {
  addUsers,
  ids,
  load1,
  outcome,
  ratePerQuarter,
  SIGNING_SECRET,
  sendDms,
  settle,
  spread,
} from './load.ts';

const list = (value: string | undefined, fallback: string) =>
  (value ?? fallback)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const SERVES = Number(process.env.BENCH_SERVES ?? 2);
const WORKERS = list(process.env.BENCH_WORKERS, '1');
const RATES = list(process.env.BENCH_RATES, '2,20,50');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SATURATION = process.env.BENCH_SATURATION !== '0';
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 300_000);
/** The saturation search stops here whatever happens. */
const MAX_RATE = Number(process.env.BENCH_MAX_RATE ?? 400);

let runs = 0;

async function atRate(
  slack: FakeSlack,
  serves: Serve[],
  users: string[],
  rate: number,
  workers: number,
  warmup = false,
) {
  const tag = `R${String(runs++).padStart(2, '0')}`;
  const started = Date.now();
  const sent = await sendDms(
    serves.map((s) => s.url),
    { count: Math.max(1, Math.round(rate * SECONDS)), rate, tag, users },
  );
  const settled = await settle(slack, sent, SETTLE_MS);
  const result = outcome(slack, sent);
  const ack = spread(sent.map((dm) => dm.ackMs ?? Number.POSITIVE_INFINITY));
  const reply = spread(result.replyMs);
  const card = spread(result.cardMs);
  const line = {
    bench: warmup ? 'rates.warmup' : 'rates',
    serves: serves.length,
    workers,
    rate,
    dms: sent.length,
    ack_p50_ms: ack.p50,
    ack_p95_ms: ack.p95,
    ack_p99_ms: ack.p99,
    reply_p50_ms: reply.p50,
    reply_p95_ms: reply.p95,
    card_p50_ms: card.p50,
    card_p95_ms: card.p95,
    /** Cards per second in each quarter from the first card to the last (a falling rate: head-of-line). */
    cards_per_s_by_quarter: ratePerQuarter(result.cardAt),
    non200: sent.filter((dm) => dm.status !== 200).length,
    lost: result.lost,
    duplicated: result.duplicated,
    settled,
    /** From the first DM sent to the last card posted, minus the sending time. */
    drain_s: Math.round((Date.now() - started - SECONDS * 1000) / 100) / 10,
    load1: load1(),
  };
  console.log(JSON.stringify(line));
  return line;
}

async function configuration(workers: number) {
  const slack = await startFakeSlack();
  const users = addUsers(slack);
  let stack: Stack | undefined;
  const running: RunningCli[] = [];
  try {
    stack = await prepareStack({
      REDIS_URL: TEST_REDIS_URL,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    const ready = stack;
    await setSetting(
      ready.database.db,
      triageChannelKey('slack'),
      { platform: 'slack', tenant: ids.team, channel: ids.triage },
      null,
    );
    const serves = await Promise.all(Array.from({ length: SERVES }, () => startServe(ready)));
    running.push(...serves);
    running.push(...(await Promise.all(Array.from({ length: workers }, () => startWorker(ready)))));
    // Warm-up: models trained, connections open, Slack users cached.
    await atRate(slack, serves, users, 2, workers, true);
    let last = { rate: 0, ok: true };
    for (const rate of RATES) {
      const line = await atRate(slack, serves, users, rate, workers);
      last = { rate, ok: line.ack_p95_ms <= 1000 && line.reply_p95_ms <= 1000 && line.settled };
    }
    if (!SATURATION) return;
    // Saturation: double from the last rate that held (or halve down from one that did not).
    let good = last.ok ? last.rate : 0;
    let bad = last.ok ? 0 : last.rate;
    let rate = last.ok ? last.rate * 2 : Math.max(1, Math.floor(last.rate / 2));
    while (rate <= MAX_RATE && rate >= 1 && (bad === 0 || bad - good > Math.max(2, good / 4))) {
      const line = await atRate(slack, serves, users, rate, workers);
      const held = line.ack_p95_ms <= 1000 && line.reply_p95_ms <= 1000 && line.settled;
      if (held) good = rate;
      else bad = rate;
      rate = bad === 0 ? rate * 2 : Math.round((good + bad) / 2);
      if (rate === good || rate === bad) break;
    }
    console.log(
      JSON.stringify({
        bench: 'rates.saturation',
        serves: serves.length,
        workers,
        /** The highest rate measured with ack p95 and reply p95 both ≤ 1 s. */
        rate_at_p95_1s: good,
        first_rate_over: bad || null,
        load1: load1(),
      }),
    );
  } finally {
    for (const cli of running) await stopGracefully(cli);
    killRunning();
    await stack?.close();
    await slack.close();
  }
}

export async function run(): Promise<void> {
  for (const workers of WORKERS) await configuration(workers);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

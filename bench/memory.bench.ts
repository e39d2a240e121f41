/**
 * RSS per process: `helpdesk serve` and `helpdesk worker` on Postgres + Redis, and the embedded
 * `helpdesk start` (PGlite, BullMQ on it), each idle (10 s and 60 s after it is ready: V8 keeps the
 * young generation start-up grew for a while before giving it back) and its peak under
 * signed Slack DMs at BENCH_MEMORY_RATE/s (default 20) for BENCH_MEMORY_SECONDS (default 15),
 * sampled every 250 ms until every DM is answered and carded. One JSON line per process, with lost
 * and duplicated (both must be 0). BENCH_MEMORY_ONLY=split|embedded runs one of the two set-ups.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setSetting, triageChannelKey } from '../src/core/settings/settings.ts';
import { type FakeSlack, startFakeSlack } from '../test/slack/fake-slack.ts';
import { cliEnv, eventually, killRunning, type RunningCli, readyz, startCli } from '../test/support/cli.ts';
import { TEST_REDIS_URL } from '../test/support/db.ts';
import {
  freePort,
  prepareStack,
  startServe,
  startWorker,
  stopGracefully,
} from '../test/support/processes.ts';
import {
  addUsers,
  ids,
  load1,
  outcome,
  rssMb,
  SIGNING_SECRET,
  sampleRss,
  sendDms,
  settle,
  spread,
} from './load.ts';

const RATE = Number(process.env.BENCH_MEMORY_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 15);
const ONLY = process.env.BENCH_MEMORY_ONLY;
const IDLE_MS = 10_000;
/** V8 gives back the young generation start-up grew only after some idle time (about 45 s here). */
const SETTLED_MS = 60_000;
const SETTLE_MS = 300_000;

const slackEnv = (slack: FakeSlack) => ({
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slack.apiUrl,
});

async function underLoad(
  slack: FakeSlack,
  url: string,
  processes: Array<{ name: string; cli: RunningCli }>,
  tag: string,
) {
  const rssNow = () => processes.map(({ cli }) => rssMb(cli.child.pid ?? 0));
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idle = rssNow();
  await new Promise((resolve) => setTimeout(resolve, SETTLED_MS - IDLE_MS));
  const settled = rssNow();
  const idleLoad = load1();
  const users = addUsers(slack);
  const sampler = sampleRss(processes.map(({ cli }) => cli.child.pid ?? 0));
  const sent = await sendDms([url], { count: RATE * SECONDS, rate: RATE, tag, users });
  await settle(slack, sent, SETTLE_MS);
  const peaks = sampler.stop();
  const result = outcome(slack, sent);
  const reply = spread(result.replyMs);
  for (const [i, { name, cli }] of processes.entries()) {
    console.log(
      JSON.stringify({
        bench: 'memory',
        process: name,
        idle_rss_mb: idle[i],
        settled_rss_mb: settled[i],
        load_rss_mb: peaks.get(cli.child.pid ?? 0),
        dms: sent.length,
        rate: RATE,
        reply_p50_ms: Math.round(reply.p50),
        reply_p95_ms: Math.round(reply.p95),
        lost: result.lost,
        duplicated: result.duplicated,
        load1_idle: idleLoad,
        load1: load1(),
      }),
    );
  }
}

async function split() {
  const slack = await startFakeSlack();
  const stack = await prepareStack({ REDIS_URL: TEST_REDIS_URL, ...slackEnv(slack) });
  const running: RunningCli[] = [];
  try {
    await setSetting(
      stack.database.db,
      triageChannelKey('slack'),
      { platform: 'slack', tenant: ids.team, channel: ids.triage },
      null,
    );
    const serve = await startServe(stack);
    running.push(serve);
    const worker = await startWorker(stack);
    running.push(worker);
    await underLoad(
      slack,
      serve.url,
      [
        { name: 'serve', cli: serve },
        { name: 'worker', cli: worker },
      ],
      'MS',
    );
  } finally {
    for (const cli of running) await stopGracefully(cli);
    await stack.close();
    await slack.close();
  }
}

async function embedded() {
  const slack = await startFakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-memory-'));
  const port = await freePort();
  const cli = startCli(['start'], {
    env: cliEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...slackEnv(slack),
    }),
  });
  try {
    const ready = await eventually(
      async () => cli.child.exitCode !== null || (await readyz(port)).status === 200,
      240_000,
    );
    if (!ready || cli.child.exitCode !== null)
      throw new Error(`helpdesk start did not become ready: ${cli.stderr().slice(-2000)}`);
    // The triage channel, as an admin sets it (`helpdesk config triage` in Slack), through the CLI's own database.
    await setTriageChannel(dir);
    await underLoad(slack, `http://127.0.0.1:${port}`, [{ name: 'embedded start', cli }], 'ME');
  } finally {
    await stopGracefully(cli);
    killRunning();
    rmSync(dir, { recursive: true, force: true });
    await slack.close();
  }
}

/** Sets the Slack triage channel through the running process's socket server (it owns the data). */
async function setTriageChannel(dir: string) {
  const { loadConfig } = await import('../src/app/config.ts');
  const { openDatabase } = await import('../src/app/database.ts');
  const database = await openDatabase(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), {
    whenInUse: 'connect',
  });
  try {
    await setSetting(
      database.db,
      triageChannelKey('slack'),
      { platform: 'slack', tenant: ids.team, channel: ids.triage },
      null,
    );
  } finally {
    await database.close();
  }
}

export async function run(): Promise<void> {
  if (ONLY !== 'embedded') await split();
  if (ONLY !== 'split') await embedded();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

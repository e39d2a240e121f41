/**
 * Outbox burst: BENCH_CARDS ticket cards (default 300) into one triage channel, each with a reply
 * in its thread, through a real worker (Redis, Postgres) and the real Slack client against the fake
 * Slack. Scenario `clean`: no faults; `first-card-fails`: the first card is refused (503) five
 * times. Prints one JSON line per scenario: delivered, lost, doubled, seconds to drain, rows per
 * second, and deliver jobs run per delivered row (waits and retries included).
 */
import { createSlackNotifier } from '../src/bots/slack/notifier.ts';
import type { ConversationRef } from '../src/core/chat/chat.ts';
import { silentLogger } from '../src/core/logger.ts';
import { queueMessage } from '../src/core/outbox/outbox.ts';
import { unitOfWork } from '../src/core/unit-of-work.ts';
import { startFakeSlack } from '../test/slack/fake-slack.ts';
import { startTestApp } from '../test/support/app.ts';

const CARDS = Number(process.env.BENCH_CARDS ?? 300);
const triage: ConversationRef = { platform: 'slack', tenant: 'T0BENCH', channel: 'C0TRIAGE' };

async function deliverJobs(app: Awaited<ReturnType<typeof startTestApp>>): Promise<number> {
  const scrape = await app.http?.inject({ method: 'GET', url: '/metrics' });
  let total = 0;
  for (const [, value] of (scrape?.body ?? '').matchAll(
    /^helpdesk_jobs_total\{[^}]*name="deliver"[^}]*\} (\d+)/gm,
  ))
    total += Number(value);
  return total;
}

async function run(scenario: 'clean' | 'first-card-fails') {
  const slack = await startFakeSlack();
  const notifier = createSlackNotifier({
    config: { botToken: 'xoxb-bench', apiUrl: slack.apiUrl },
    log: silentLogger,
  });
  const app = await startTestApp({ http: true, notifiers: [notifier] });
  try {
    if (scenario === 'first-card-fails')
      slack.failNext('chat.postMessage', { status: 503 }, 5, (args) => args.text === 'card 1');
    const started = performance.now();
    for (let n = 1; n <= CARDS; n++) {
      await unitOfWork(app.deps, async (tx) => {
        const card = await queueMessage(tx, {
          key: `card-${n}`,
          op: 'post',
          target: triage,
          message: { text: `card ${n}` },
          purpose: 'ticket-card',
        });
        await queueMessage(tx, {
          key: `card-${n}-reply`,
          op: 'post',
          target: triage,
          ...(card === undefined ? {} : { threadOf: card }),
          message: { text: `card ${n} reply` },
        });
      });
    }
    const deadline = Date.now() + 15 * 60_000;
    let firstCardAt = 0;
    for (;;) {
      const pending = await app.deps.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      if (
        !firstCardAt &&
        slack.callsTo('chat.postMessage').some((c) => c.response?.ok && c.args.text === 'card 1')
      )
        firstCardAt = performance.now();
      if (Number(pending.n) === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const ok = slack.callsTo('chat.postMessage').filter((call) => call.response?.ok);
    const counts = new Map<string, number>();
    for (const call of ok) counts.set(String(call.args.text), (counts.get(String(call.args.text)) ?? 0) + 1);
    const expected = CARDS * 2;
    const delivered = counts.size;
    const texts = ok.map((call) => String(call.args.text));
    const before = texts.indexOf('card 1');
    console.log(
      JSON.stringify({
        bench: 'outbox-burst',
        scenario,
        cards: CARDS,
        rows: expected,
        delivered,
        lost: expected - delivered,
        doubled: [...counts.values()].filter((n) => n > 1).length,
        seconds: Number(seconds.toFixed(2)),
        rowsPerSecond: Number((delivered / seconds).toFixed(1)),
        deliverJobsPerRow: Number(((await deliverJobs(app)) / Math.max(1, delivered)).toFixed(2)),
        cardsPostedBeforeCard1:
          before < 0 ? null : texts.slice(0, before).filter((t) => /^card \d+$/.test(t)).length,
      }),
    );
  } finally {
    await app.close();
    await slack.close();
  }
}

await run('clean');
await run('first-card-fails');
process.exit(0);

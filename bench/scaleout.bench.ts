/**
 * Scale-out: two `helpdesk serve` and three `helpdesk worker` processes on one Postgres and a
 * Redis of their own; signed Slack DMs through both servers, one worker killed with SIGKILL and
 * Redis restarted empty mid-stream. Prints one JSON line: events, processes, answered once, cards
 * once, SLA timers once, lost and doubled (both must be 0), duration. BENCH_SCALEOUT_EVENTS
 * (default 120), BENCH_SCALEOUT_RATE (events per second, default 8).
 */
import { runScaleOut } from '../test/support/scaleout.ts';

export async function run(): Promise<void> {
  const figures = await runScaleOut({
    events: Number(process.env.BENCH_SCALEOUT_EVENTS ?? 120),
    rate: Number(process.env.BENCH_SCALEOUT_RATE ?? 8),
    firstResponseMs: 20_000,
    settleMs: 600_000,
    log: (line) => process.stderr.write(`scaleout: ${line}\n`),
  });
  console.log(JSON.stringify({ bench: 'scaleout', ...figures }));
  if (figures.lost || figures.doubled) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

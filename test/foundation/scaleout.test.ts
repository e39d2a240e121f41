/**
 * Scale-out, proven: two `helpdesk serve` and three `helpdesk worker` processes on one Postgres and
 * a Redis of the test's own. One worker is killed with SIGKILL and Redis restarted empty while
 * signed DMs stream through both servers; nothing may be lost or posted twice. The bigger run is
 * `npm run bench scaleout`.
 */
import { describe, expect, it } from 'vitest';
import { runScaleOut } from '../support/scaleout.ts';

describe('scale-out', () => {
  it('two servers and three workers, a worker killed and Redis restarted empty: every DM answered once, every card posted once, every SLA timer fired once', async () => {
    const figures = await runScaleOut({ events: 24, rate: 6, firstResponseMs: 12_000, settleMs: 240_000 });
    expect(figures).toMatchObject({
      events: 24,
      acknowledged: 24,
      recorded: 24,
      tickets: 24,
      answeredOnce: 24,
      cardsOnce: 24,
      slaWarningsOnce: 24,
      slaBreachesOnce: 24,
      lost: 0,
      doubled: 0,
      // The restart really emptied the queue, and the workers noticed.
      recoveredAfterQueueLoss: true,
    });
  }, 600_000);
});

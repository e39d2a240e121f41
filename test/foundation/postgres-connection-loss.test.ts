/**
 * Postgres restarts (a server of this test's own on a spare port, never the shared one): every
 * session ends with 57P01 "terminating connection due to administrator command". `helpdesk serve`
 * and `helpdesk worker` (BullMQ on the same Postgres) stay up, answer 5xx while the database is
 * away, and once it is back an event is recorded and processed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent } from '../slack/builders.ts';
import { type FakeSlack, startFakeSlack } from '../slack/fake-slack.ts';
import { postToSlackEvents, SIGNING_SECRET } from '../slack/support.ts';
import { eventually, killRunning, type RunningCli, readyz } from '../support/cli.ts';
import {
  type PostgresServer,
  prepareStack,
  type Serve,
  type Stack,
  startPostgresServer,
  startServe,
  startWorker,
  stopGracefully,
} from '../support/processes.ts';

let postgres: PostgresServer | undefined;
let slack: FakeSlack | undefined;
let stack: Stack | undefined;
let serve: Serve | undefined;
let worker: RunningCli | undefined;

const user = 'U0PGLOSS1';

function dm(n: number) {
  return messageEvent({
    user,
    channel: `D0PGLOSS${n}`,
    text: `my laptop will not start after the update (${n})`,
  });
}

/** A signed DM through serve: the HTTP status, or 0 when nothing answered. */
async function send(n: number): Promise<number> {
  try {
    const response = await postToSlackEvents((serve as Serve).url, { json: dm(n) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

const answeredIn = (channel: string) =>
  (slack as FakeSlack).callsTo('chat.postMessage').some((call) => call.args.channel === channel);

beforeAll(async () => {
  postgres = await startPostgresServer();
  slack = await startFakeSlack();
  slack.addUser({ id: user, name: 'alice', email: 'alice@acme.test' });
  stack = await prepareStack({
    DATABASE_URL: postgres.url,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
  [serve, worker] = await Promise.all([startServe(stack), startWorker(stack)]);
}, 300_000);

afterAll(async () => {
  for (const cli of [serve, worker]) if (cli) await stopGracefully(cli);
  killRunning();
  await stack?.close().catch(() => {});
  await postgres?.remove();
  await slack?.close();
}, 120_000);

describe('a Postgres restart', () => {
  it('ends no process: 5xx while the database is away, and events are processed once it is back', async () => {
    expect(await send(1)).toBe(200);
    expect(await eventually(() => answeredIn('D0PGLOSS1'), 60_000)).toBe(true);

    // Requests in flight while the server goes down: some sessions are checked out mid-query.
    const inFlight = Array.from({ length: 10 }, (_, i) => send(100 + i));
    await (stack as Stack).database.close();
    await (postgres as PostgresServer).stop('fast');
    await Promise.all(inFlight);

    const during = await send(2);
    expect(during).toBeGreaterThanOrEqual(500);
    expect((await readyz((serve as Serve).port)).status).toBe(503);
    // Give a worker polling the queue time to meet the dead connections.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(serve?.child.exitCode).toBeNull();
    expect(worker?.child.exitCode).toBeNull();

    await (postgres as PostgresServer).start();
    expect(await eventually(async () => (await readyz((serve as Serve).port)).status === 200, 60_000)).toBe(
      true,
    );
    expect(await send(3)).toBe(200);
    expect(await eventually(() => answeredIn('D0PGLOSS3'), 90_000)).toBe(true);
    expect(serve?.child.exitCode).toBeNull();
    expect(worker?.child.exitCode).toBeNull();
    // The lost connections were reported, by code, not as a crash.
    expect(`${serve?.stderr()}${worker?.stderr()}`).toContain('57P01');
    expect(`${serve?.stderr()}${worker?.stderr()}`).not.toContain('Unhandled');
  }, 300_000);
});

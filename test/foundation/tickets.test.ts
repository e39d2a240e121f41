import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accept, recoverUnfinished } from '../../src/core/inbox/inbox.ts';
import { RetryLaterError } from '../../src/core/jobs/jobs.ts';
import { processEvent } from '../../src/core/process/process-event.ts';
import { command, consoleUser, message, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
const run = async (event: Parameters<TestApp['accept']>[0]) => {
  await app.accept(event);
  await app.idle();
};

beforeAll(async () => {
  app = await startTestApp({ env: { HELPDESK_ADMINS: 'root@example.com' } });
  await app.deps.db
    .insertInto('settings')
    .values({
      key: 'triage-channel:console',
      value: JSON.stringify({ platform: 'console', tenant: 'local', channel: 'triage' }),
      updated_by: null,
    })
    .execute();
  await run(command('root', 'help'));
  await run(message('bob', 'hello, I am bob'));
  await run(command('root', 'role @bob agent'));
});
afterAll(async () => {
  await app?.close();
});

async function ticketOf(number: number) {
  return app.deps.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
}

describe('a ticket worked end to end on Postgres and Redis', () => {
  it('is filed, claimed, discussed both ways, noted, resolved and reopened, and show prints its timeline', async () => {
    const filed = message('alice', 'my laptop will not boot');
    await run(filed);
    const number = (
      await app.deps.db.selectFrom('tickets').select('number').orderBy('id', 'desc').executeTakeFirstOrThrow()
    ).number;
    expect(app.output()).toContain(`filed ticket #${number}`);
    const card = await app.deps.db
      .selectFrom('ticket_threads')
      .selectAll()
      .where('role', '=', 'triage')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(card.thread).toMatch(/^c\d+$/);

    await run(command('bob', `claim #${number}`));
    const triageThread = {
      platform: 'console' as const,
      tenant: 'local',
      channel: 'triage',
      thread: card.thread ?? '',
    };
    await run(
      message('bob', 'try holding the power button', { conversation: triageThread, isDirect: false }),
    );
    await run(message('bob', 'note: battery, probably', { conversation: triageThread, isDirect: false }));
    await run(message('alice', 'still dead', { conversation: filed.conversation }));
    await run(command('bob', `resolve #${number} replaced the battery`));
    expect((await ticketOf(number)).status).toBe('resolved');
    await run(command('alice', `reopen #${number}`));
    const ticket = await ticketOf(number);
    expect(ticket.status).toBe('open');
    expect(ticket.first_response_at).not.toBeNull();

    const events = await app.deps.db
      .selectFrom('ticket_events')
      .select(['type', 'visibility', 'body'])
      .where('ticket_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'claimed',
      'reply',
      'note',
      'requester_reply',
      'resolved',
      'reopened',
    ]);
    expect(events.find((e) => e.type === 'note')?.visibility).toBe('internal');

    const output = app.output();
    expect(output).toContain('💬 bob (IT) on #' + number + ': try holding the power button');
    expect(output).toContain('🗨️ alice: still dead');
    expect(output).not.toMatch(/\[dm alice[^\]]*\][^\n]*battery, probably/);
    expect(output).toContain(`How did we do on #${number}?`);

    await run(command('bob', `show #${number}`));
    expect(app.output()).toMatch(/ {2}bob noted: battery, probably \(internal\)\n/);
  });

  it('files one ticket when the same event is accepted twice', async () => {
    const event = message('carol', 'printer on floor 3 is jammed');
    const first = await accept(app.deps, event);
    const second = await accept(app.deps, event);
    await app.idle();
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    const count = await app.deps.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('description', '=', 'printer on floor 3 is jammed')
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('loses nothing when the process dies between accepting and processing an event', async () => {
    const lostQueue = {
      enqueue: async () => {
        throw new Error('process died');
      },
    };
    const event = message('dave', 'cannot reach the VPN from home');
    const { id } = await accept({ ...app.deps, jobs: lostQueue }, event);
    expect(
      (
        await app.deps.db
          .selectFrom('inbound_events')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('pending');
    await recoverUnfinished(app.deps, { olderThanMs: 0 });
    await app.idle();
    expect(
      (
        await app.deps.db
          .selectFrom('inbound_events')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('done');
    const ticket = await app.deps.db
      .selectFrom('tickets')
      .select('id')
      .where('description', '=', 'cannot reach the VPN from home')
      .execute();
    expect(ticket).toHaveLength(1);
  });

  it('answers the platform after the insert alone: the enqueue follows, and a queue that hangs holds nothing up', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const calls: string[] = [];
    const hangingQueue: typeof app.deps.jobs = {
      enqueue: async (name, data, options) => {
        calls.push(name);
        await gate;
        return app.deps.jobs.enqueue(name, data, options);
      },
    };
    const event = message('erin', 'the docking station does not charge my laptop');
    // No timer may fire meanwhile: an accept that waited for the queue (even for a bounded time) would hang here.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let accepted: Awaited<ReturnType<typeof accept>>;
    try {
      accepted = await accept({ ...app.deps, jobs: hangingQueue }, event);
    } finally {
      vi.useRealTimers();
    }
    const row = await app.deps.db
      .selectFrom('inbound_events')
      .select('status')
      .where('id', '=', accepted.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(calls).toEqual(['process-event']);
    release();
    await app.idle();
    const done = await app.deps.db
      .selectFrom('inbound_events')
      .select('status')
      .where('id', '=', accepted.id)
      .executeTakeFirstOrThrow();
    expect(done.status).toBe('done');
  });

  it('processes two messages of one thread in the order they arrived, whichever worker starts first', async () => {
    const noJobs = { enqueue: async () => {} };
    const filed = message('erin', 'the docking station no longer charges my laptop');
    await run(filed);
    const first = await accept(
      { ...app.deps, jobs: noJobs },
      message('erin', 'it is the usb-c one', { conversation: filed.conversation }),
    );
    const second = await accept(
      { ...app.deps, jobs: noJobs },
      message('erin', 'and the light is off', { conversation: filed.conversation }),
    );
    // The later event waits for the earlier one, without counting as a failed attempt.
    await expect(processEvent(app.deps, second.id)).rejects.toBeInstanceOf(RetryLaterError);
    const waiting = await app.deps.db
      .selectFrom('inbound_events')
      .select(['status', 'attempts'])
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(waiting).toEqual({ status: 'pending', attempts: 0 });
    expect(await processEvent(app.deps, first.id)).toBe('done');
    expect(await processEvent(app.deps, second.id)).toBe('done');
    await app.idle();
    const output = app.output();
    expect(output.indexOf('erin: it is the usb-c one')).toBeGreaterThan(-1);
    expect(output.indexOf('erin: it is the usb-c one')).toBeLessThan(
      output.indexOf('erin: and the light is off'),
    );
  });

  it('relays a burst of agent replies in one thread to the requester in order', async () => {
    const filed = message('frank', 'my second monitor flickers');
    await run(filed);
    const card = await app.deps.db
      .selectFrom('ticket_threads')
      .select('thread')
      .where('role', '=', 'triage')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const thread = {
      platform: 'console' as const,
      tenant: 'local',
      channel: 'triage',
      thread: card.thread ?? '',
    };
    const replies = Array.from({ length: 12 }, (_, i) => `step ${i + 1} of the checklist`);
    for (const text of replies)
      await app.accept(message('bob', text, { conversation: thread, isDirect: false }));
    await app.idle();
    const relayed = [...app.output().matchAll(/\[dm frank[^\]]*\][^\n]*: (step \d+) of the checklist/g)].map(
      (m) => m[1],
    );
    expect(relayed).toEqual(replies.map((r) => r.replace(' of the checklist', '')));
  });

  it('in a group chat with an open ticket, files what another member asks instead of dropping it', async () => {
    const group = { platform: 'console' as const, tenant: 'local', channel: 'group-42', isDirect: false };
    const ask = (name: string, text: string) =>
      message(name, text, { conversation: group, isDirect: false, mentionsBot: true });
    await run(ask('gina', 'my laptop will not boot after the update'));
    await run(ask('gina', 'it shows a black screen with a cursor'));
    await run(ask('hank', 'my headset microphone is broken'));
    const filed = await app.deps.db
      .selectFrom('tickets')
      .innerJoin('people', 'people.id', 'tickets.requester_id')
      .select(['people.display_name as name', 'tickets.description'])
      .where('tickets.description', 'in', [
        'my laptop will not boot after the update',
        'my headset microphone is broken',
      ])
      .orderBy('tickets.id')
      .execute();
    expect(filed.map((t) => t.name)).toEqual(['gina', 'hank']);
    const ginaTimeline = await app.deps.db
      .selectFrom('ticket_events')
      .innerJoin('tickets', 'tickets.id', 'ticket_events.ticket_id')
      .select('ticket_events.type')
      .where('tickets.description', '=', 'my laptop will not boot after the update')
      .execute();
    expect(ginaTimeline.map((e) => e.type)).toContain('requester_reply');
  });

  it('refuses a requester acting on someone else’s ticket or running admin commands, and changes nothing', async () => {
    await run(message('erin', 'my monitor flickers'));
    const ticket = await app.deps.db
      .selectFrom('tickets')
      .selectAll()
      .where('description', '=', 'my monitor flickers')
      .executeTakeFirstOrThrow();
    await run(command('frank', `close #${ticket.number}`));
    await run(command('frank', `claim #${ticket.number}`));
    await run(command('frank', 'role @frank admin'));
    expect((await ticketOf(ticket.number)).status).toBe('new');
    const frank = await app.deps.db
      .selectFrom('identities')
      .innerJoin('roles', 'roles.person_id', 'identities.person_id')
      .select('roles.role')
      .where('user_id', '=', 'frank')
      .execute();
    expect(frank).toHaveLength(0);
    const output = app.output();
    expect(output).toContain(`Ticket #${ticket.number} is not yours`);
    expect(output).toContain('`claim` needs the agent role (you are a requester)');
    expect(output).toContain('`role` needs the admin role (you are a requester)');
  });

  it('answers unknown commands and bad arguments with a usage line', async () => {
    await run(command('alice', 'frobnicate'));
    await run(command('bob', 'priority #1 P9'));
    expect(app.output()).toContain('Unknown command `frobnicate`');
    expect(app.output()).toContain('Usage: `priority #N P1|P2|P3|P4`');
  });

  it('refuses an invalid transition with a clear reason', async () => {
    await run(message('gina', 'need a new mouse'));
    const ticket = await app.deps.db
      .selectFrom('tickets')
      .selectAll()
      .where('description', '=', 'need a new mouse')
      .executeTakeFirstOrThrow();
    await run(command('bob', `reopen #${ticket.number}`));
    expect(app.output()).toContain(`#${ticket.number} is not resolved.`);
    void consoleUser;
  });
});

describe('the HTTP server', () => {
  it('answers health, readiness and Prometheus metrics', async () => {
    const http = app.http!;
    expect((await http.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ database: true, queue: true });
    const metrics = await http.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(
      /helpdesk_inbound_events_total\{platform="console",outcome="recorded"\} \d+/,
    );
    expect(metrics.body).toMatch(/helpdesk_tickets\{status="new"\} \d+/);
    expect(metrics.body).toContain('helpdesk_jobs_total');
  });
});

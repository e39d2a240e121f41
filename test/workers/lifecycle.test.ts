import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db.ts';
import { setSetting } from '../../src/core/settings/settings.ts';
import type { Priority } from '../../src/core/tickets/ticket.ts';
import { reconcileTimers } from '../../src/core/timers/reconciler.ts';
import { escalationChannelKey, SETTING_KEYS } from '../../src/core/timers/settings.ts';
import {
  agentReply,
  consoleTriage,
  type Enqueued,
  fileTicket,
  freshSchema,
  isTimerJob,
  outboxTexts,
  rateTicket,
  requesterReply,
  resetInstall,
  resolveTicket,
  runCommand,
  runTimerJob,
  setPending,
  type TestDb,
} from './support.ts';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const T0 = '2026-11-26T10:00:00.000Z';
const t0 = Date.parse(T0);

let testDb: TestDb;
let db: Db;
let people: Awaited<ReturnType<typeof resetInstall>>;

beforeAll(async () => {
  testDb = await freshSchema('workers_life');
  db = testDb.db;
});
afterAll(async () => testDb?.close());
beforeEach(async () => {
  people = await resetInstall(db);
});

function newTicket(priority: Priority = 'P3') {
  const input = { description: 'Printer on floor 3 jams', category: 'printing' as const, priority };
  return fileTicket(db, people.requester, input, T0);
}

/** Runs every queued timer job that is due at the current clock time, until none is left. */
async function runDue(env: Awaited<ReturnType<typeof newTicket>>, pending: Enqueued[] = []) {
  const outcomes: Array<[string, unknown]> = [];
  const queue = [...pending, ...env.jobs.take()];
  const later: Enqueued[] = [];
  while (queue.length) {
    const job = queue.shift() as Enqueued;
    if (!isTimerJob(job.name)) continue;
    if (job.runAt > env.clock.now()) {
      later.push(job);
      continue;
    }
    outcomes.push([job.name, await runTimerJob(env.deps, job.name, job.data)]);
    queue.push(...env.jobs.take());
  }
  return { outcomes, later };
}

describe('escalation ladder', () => {
  it('climbs L1 at breach, L2 after the interval (escalation channel, on-call, priority +1), L3 to admins', async () => {
    const escalation = { ...consoleTriage, channel: 'it-escalations' };
    await setSetting(db, escalationChannelKey('console'), escalation, null);
    await setSetting(db, `${SETTING_KEYS.onCall}:console`, { userId: 'oncall', name: 'oncall' }, null);
    const env = await newTicket('P3');
    let queued: Enqueued[] = [];
    env.clock.set(new Date(t0 + 4 * H));
    queued = (await runDue(env, queued)).later;
    expect(
      (await db.selectFrom('tickets').select('escalation_level').executeTakeFirstOrThrow()).escalation_level,
    ).toBe(1);

    env.clock.set(new Date(t0 + 4 * H + 29 * M));
    queued = (await runDue(env, queued)).later;
    expect(
      (await db.selectFrom('tickets').select('escalation_level').executeTakeFirstOrThrow()).escalation_level,
    ).toBe(1);

    env.clock.set(new Date(t0 + 4 * H + 30 * M));
    queued = (await runDue(env, queued)).later;
    const l2 = await db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow();
    expect([l2.escalation_level, l2.priority]).toEqual([2, 'P2']);
    const escalationPosts = await db
      .selectFrom('outbox')
      .select('body')
      .where('lane', 'like', 'console:it-escalations:%')
      .execute();
    expect(escalationPosts.map((row) => row.body.message?.text)).toEqual([
      expect.stringMatching(/level 2: .* is still unanswered after its SLA breach.*P3 → P2.*@oncall/),
    ]);

    env.clock.set(new Date(t0 + 5 * H + 30 * M));
    await runDue(env, queued);
    const l3 = await db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow();
    expect(l3.escalation_level).toBe(3);
    const posts = await db
      .selectFrom('outbox')
      .select('body')
      .where('lane', 'like', 'console:it-escalations:%')
      .orderBy('id')
      .execute();
    expect(posts[1]?.body.message?.text).toMatch(/level 3.*@Carol/);
  });

  it('stops when an agent answers', async () => {
    const env = await newTicket('P3');
    env.clock.set(new Date(t0 + 4 * H));
    const { later } = await runDue(env);
    env.clock.set(new Date(t0 + 4 * H + 10 * M));
    await agentReply(
      env.deps,
      people.agent,
      (await db.selectFrom('tickets').select('id').executeTakeFirstOrThrow()).id,
      'On it',
    );
    env.clock.set(new Date(t0 + 6 * H));
    const { outcomes } = await runDue(env, later);
    expect(outcomes.filter(([name]) => name === 'escalate').map(([, outcome]) => outcome)).toEqual([
      'stopped',
    ]);
    expect(
      (await db.selectFrom('tickets').select('escalation_level').executeTakeFirstOrThrow()).escalation_level,
    ).toBe(1);
  });

  it.each([
    [
      'resolved',
      (env: Awaited<ReturnType<typeof newTicket>>) =>
        resolveTicket(env.deps, people.agent, env.ticket.id, 'Replaced the fuser'),
    ],
    [
      'pending',
      (env: Awaited<ReturnType<typeof newTicket>>) =>
        setPending(env.deps, people.agent, env.ticket.id, 'Which tray jams?'),
    ],
  ] as const)(
    'stops when the ticket is %s, and the requester’s reply does not restart it',
    async (_, change) => {
      const env = await newTicket('P3');
      env.clock.set(new Date(t0 + 4 * H));
      const { later } = await runDue(env);
      expect(later.filter((job) => job.name === 'escalate').map((job) => job.runAt.getTime())).toEqual([
        t0 + 4 * H + 30 * M,
      ]);
      env.clock.set(new Date(t0 + 4 * H + 10 * M));
      await change(env);
      env.clock.set(new Date(t0 + 5 * H));
      const stopped = await runDue(env, later);
      expect(stopped.outcomes.filter(([name]) => name === 'escalate').map(([, o]) => o)).toEqual(['stopped']);

      // The reply reopens a resolved ticket and resumes a pending one: the ladder stays where it was.
      await requesterReply(env.deps, people.requester, env.ticket.id, 'It jams again on tray 2');
      env.clock.set(new Date(t0 + 9 * H));
      // Whatever the queue still holds or has forgotten, the reconciler's plan has no next level.
      env.jobs.lose();
      await reconcileTimers(env.deps, {});
      const after = await runDue(env, stopped.later);
      expect(after.outcomes.filter(([name]) => name === 'escalate')).toEqual([]);
      const ticket = await db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow();
      expect([ticket.status, ticket.escalation_level, ticket.priority]).toEqual(['open', 1, 'P3']);
      const escalations = await db
        .selectFrom('outbox')
        .select('body')
        .where('purpose', '=', 'alert')
        .execute();
      expect(escalations.filter((row) => row.body.message?.text.includes('Escalation level'))).toEqual([]);
    },
  );

  it('stops with `escalation stop #N` from an agent', async () => {
    const env = await newTicket('P3');
    env.clock.set(new Date(t0 + 4 * H));
    const { later } = await runDue(env);
    const ticket = await db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow();
    const ctx = {
      sender: { platform: 'console' as const, tenant: 'local', userId: 'bob' },
      conversation: consoleTriage,
      conversationId: 1,
      eventId: 'x',
    };
    const result = await runCommand(env.deps, people.agent, `escalation stop #${ticket.number}`, ctx);
    expect('reply' in result && result.reply.text).toBe(
      `Escalation of #${ticket.number} stopped at level 1; no further levels will fire.`,
    );
    env.clock.set(new Date(t0 + 8 * H));
    const { outcomes } = await runDue(env, later);
    expect(outcomes.filter(([name]) => name === 'escalate').map(([, o]) => o)).toEqual(['stopped']);
  });

  it.each([
    ['with its SLA record', false],
    ['without an SLA record yet (filed before the workers ran)', true],
  ])(
    'stopped with `escalation stop #N` before the breach (%s): the breach is posted and nothing escalates',
    async (_, withoutRecord) => {
      const env = await newTicket('P3');
      if (withoutRecord) await db.deleteFrom('ticket_sla').where('ticket_id', '=', env.ticket.id).execute();
      env.clock.set(new Date(t0 + H));
      const ctx = {
        sender: { platform: 'console' as const, tenant: 'local', userId: 'bob' },
        conversation: consoleTriage,
        conversationId: 1,
        eventId: 'x',
      };
      const result = await runCommand(env.deps, people.agent, `escalation stop #${env.ticket.number}`, ctx);
      expect('reply' in result && result.reply.text).toMatch(/stopped: if its SLA is breached/);

      env.clock.set(new Date(t0 + 4 * H));
      const breach = await runDue(env);
      expect(breach.outcomes).toContainEqual(['sla-check', 'posted']);
      expect((await outboxTexts(db, env.ticket.id)).filter((t) => t.includes('SLA breached'))).not.toEqual(
        [],
      );
      // Nothing is even planned after the breach; whatever the queue lost, the reconciler agrees.
      expect(breach.later.filter((job) => job.name === 'escalate')).toEqual([]);
      env.clock.set(new Date(t0 + 7 * H));
      env.jobs.lose();
      await reconcileTimers(env.deps, {});
      const after = await runDue(env, breach.later);
      expect(after.outcomes.filter(([name]) => name === 'escalate')).toEqual([]);
      const ticket = await db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow();
      expect([ticket.escalation_level, ticket.priority]).toEqual([1, 'P3']);
      const alerts = await db.selectFrom('outbox').select('body').where('purpose', '=', 'alert').execute();
      expect(alerts.filter((row) => row.body.message?.text.includes('Escalation level'))).toEqual([]);
    },
  );

  it('pages the on-call once when a P1 is created', async () => {
    const env = await newTicket('P1');
    const { outcomes } = await runDue(env);
    expect(outcomes.filter(([name]) => name === 'page-on-call').map(([, o]) => o)).toEqual(['posted']);
    const texts = await db.selectFrom('outbox').select('body').where('purpose', '=', 'alert').execute();
    expect(texts.filter((row) => row.body.message?.text.includes('P1 ticket'))).toHaveLength(1);
  });
});

describe('lifecycle', () => {
  it('nudges the requester after the pending period and resolves after a further silent period', async () => {
    const env = await newTicket('P3');
    const ticketId = (await db.selectFrom('tickets').select('id').executeTakeFirstOrThrow()).id;
    env.clock.set(new Date(t0 + H));
    await setPending(env.deps, people.agent, ticketId, 'Which printer?');
    env.clock.set(new Date(t0 + H + D));
    const first = await runDue(env);
    expect(first.outcomes).toContainEqual(['pending-nudge', 'posted']);
    expect(
      (await outboxTexts(db, ticketId)).filter((t) => t.includes('still waiting on your reply')),
    ).toHaveLength(1);
    env.clock.set(new Date(t0 + H + 3 * D));
    const second = await runDue(env, first.later);
    expect(second.outcomes).toContainEqual(['auto-resolve', 'posted']);
    const ticket = await db.selectFrom('tickets').selectAll().executeTakeFirstOrThrow();
    expect(ticket.status).toBe('resolved');
    expect(
      (await outboxTexts(db, ticketId)).some((t) =>
        t.includes('resolved automatically because we did not hear back'),
      ),
    ).toBe(true);
  });

  it('a reply while pending cancels the auto-resolve', async () => {
    const env = await newTicket('P3');
    const ticketId = (await db.selectFrom('tickets').select('id').executeTakeFirstOrThrow()).id;
    await setPending(env.deps, people.agent, ticketId);
    env.clock.set(new Date(t0 + 2 * H));
    await requesterReply(env.deps, people.requester, ticketId, 'It is the HP one');
    env.clock.set(new Date(t0 + 4 * D));
    const { outcomes } = await runDue(env);
    expect(outcomes.filter(([n]) => n === 'pending-nudge' || n === 'auto-resolve').map(([, o]) => o)).toEqual(
      ['inactive', 'inactive'],
    );
    expect((await db.selectFrom('tickets').select('status').executeTakeFirstOrThrow()).status).toBe('open');
  });

  it('closes a resolved ticket after three days, unless the requester replied (which reopens it)', async () => {
    const env = await newTicket('P3');
    const ticketId = (await db.selectFrom('tickets').select('id').executeTakeFirstOrThrow()).id;
    env.clock.set(new Date(t0 + H));
    await resolveTicket(env.deps, people.agent, ticketId, 'Cleared the jam');
    env.clock.set(new Date(t0 + H + 3 * D - 1));
    const early = await runDue(env);
    expect(early.outcomes.filter(([n]) => n === 'auto-close')).toEqual([]);
    env.clock.set(new Date(t0 + H + 3 * D));
    const closed = await runDue(env, early.later);
    expect(closed.outcomes).toContainEqual(['auto-close', 'posted']);
    expect((await db.selectFrom('tickets').select('status').executeTakeFirstOrThrow()).status).toBe('closed');

    const other = await newTicket('P3');
    const otherId = other.ticket.id;
    other.clock.set(new Date(t0 + H));
    await resolveTicket(other.deps, people.agent, otherId, 'Cleared the jam');
    other.clock.set(new Date(t0 + 2 * D));
    await requesterReply(other.deps, people.requester, otherId, 'It jams again');
    other.clock.set(new Date(t0 + 5 * D));
    const { outcomes } = await runDue(other);
    expect(outcomes.filter(([n]) => n === 'auto-close').map(([, o]) => o)).toEqual(['inactive']);
    expect(
      (await db.selectFrom('tickets').select('status').where('id', '=', otherId).executeTakeFirstOrThrow())
        .status,
    ).toBe('open');
  });

  it('keeps one CSAT answer per ticket and a later click changes it', async () => {
    const env = await newTicket('P3');
    const ticketId = env.ticket.id;
    await resolveTicket(env.deps, people.agent, ticketId, 'Done');
    expect((await outboxTexts(db, ticketId)).filter((t) => t.startsWith('How did we do'))).toHaveLength(1);
    expect((await rateTicket(env.deps, people.requester, ticketId, 2)).ok).toBe(true);
    expect((await rateTicket(env.deps, people.requester, ticketId, 5)).ok).toBe(true);
    expect((await rateTicket(env.deps, people.agent, ticketId, 1)).ok).toBe(false);
    const ticket = await db
      .selectFrom('tickets')
      .select('csat')
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.csat).toBe(5);
  });
});

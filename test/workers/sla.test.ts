import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/app/metrics.ts';
import type { Db } from '../../src/core/db.ts';
import { setSetting } from '../../src/core/settings/settings.ts';
import { handleSlaCheck } from '../../src/core/sla/sla.handlers.ts';
import type { Priority } from '../../src/core/tickets/ticket.ts';
import { reconcileTimers } from '../../src/core/timers/reconciler.ts';
import { SETTING_KEYS } from '../../src/core/timers/settings.ts';
import {
  agentReply,
  claimTicket,
  type Enqueued,
  fileTicket,
  freshSchema,
  isTimerJob,
  outboxTexts,
  requesterReply,
  resetInstall,
  runTimerJob,
  setPending,
  setPriority,
  type TestDb,
  testDeps,
} from './support.ts';

const M = 60_000;
const H = 60 * M;
const T0 = '2026-11-26T10:00:00.000Z';
const t0 = Date.parse(T0);

let testDb: TestDb;
let db: Db;

beforeAll(async () => {
  testDb = await freshSchema('workers_sla');
  db = testDb.db;
});
afterAll(async () => testDb?.close());

let people: Awaited<ReturnType<typeof resetInstall>>;
beforeEach(async () => {
  people = await resetInstall(db);
});

function newTicket(priority: Priority = 'P3', at = T0) {
  const input = { description: 'VPN drops every hour', category: 'network' as const, priority };
  return fileTicket(db, people.requester, input, at);
}

const slaJobs = (jobs: Enqueued[]) => jobs.filter((job) => job.name === 'sla-check');
const find = (jobs: Enqueued[], target: string, kind: string) =>
  jobs.find((job) => job.name === 'sla-check' && job.data.target === target && job.data.kind === kind);

describe('SLA timers', () => {
  it('schedules the warning at 75 % and the breach at 100 % of each target, per priority', async () => {
    const targets: Record<Priority, [number, number]> = {
      P1: [15 * M, 4 * H],
      P2: [H, 8 * H],
      P3: [4 * H, 24 * H],
      P4: [8 * H, 72 * H],
    };
    for (const [priority, [first, resolution]] of Object.entries(targets) as Array<
      [Priority, [number, number]]
    >) {
      const { jobs } = await newTicket(priority);
      const runAt = (target: string, kind: string) => find(jobs.enqueued, target, kind)?.runAt.getTime();
      expect(runAt('first_response', 'warning')).toBe(t0 + 0.75 * first);
      expect(runAt('first_response', 'breach')).toBe(t0 + first);
      expect(runAt('resolution', 'warning')).toBe(t0 + 0.75 * resolution);
      expect(runAt('resolution', 'breach')).toBe(t0 + resolution);
      for (const job of jobs.enqueued) expect(job.options.jobId).not.toContain(':');
    }
  });

  // The taxonomy's defaults, written out in minutes so the expectations do not reuse the code's table.
  const DEFAULTS: Array<{ priority: Priority; first: [number, string]; resolution: [number, string] }> = [
    { priority: 'P1', first: [15, '15m'], resolution: [240, '4h'] },
    { priority: 'P2', first: [60, '1h'], resolution: [480, '8h'] },
    { priority: 'P3', first: [240, '4h'], resolution: [1440, '1d'] },
    { priority: 'P4', first: [480, '8h'], resolution: [4320, '3d'] },
  ];

  it.each(DEFAULTS)(
    'fires the warning at 75 % and the breach at 100 % of each $priority default target, once each',
    async ({ priority, first, resolution }) => {
      const { deps, clock, jobs, ticket } = await newTicket(priority);
      const expected = [
        { target: 'first_response', kind: 'warning', at: t0 + first[0] * 0.75 * M, label: 'first response' },
        { target: 'first_response', kind: 'breach', at: t0 + first[0] * M, label: first[1] },
        { target: 'resolution', kind: 'warning', at: t0 + resolution[0] * 0.75 * M, label: 'resolution' },
        { target: 'resolution', kind: 'breach', at: t0 + resolution[0] * M, label: resolution[1] },
      ].sort((a, b) => a.at - b.at);
      for (const alert of expected) {
        const job = find(jobs.enqueued, alert.target, alert.kind);
        if (!job) throw new Error(`no ${alert.target} ${alert.kind} job for ${priority}`);
        expect(job.runAt.getTime()).toBe(alert.at);
        // A millisecond early the job waits for its time; at its time it posts, and a retry does not.
        clock.set(new Date(alert.at - 1));
        await expect(runTimerJob(deps, 'sla-check', job.data)).rejects.toThrow(/not due yet/);
        clock.set(new Date(alert.at));
        expect(await runTimerJob(deps, 'sla-check', job.data)).toBe('posted');
        expect(await runTimerJob(deps, 'sla-check', job.data)).not.toBe('posted');
      }
      const texts = await outboxTexts(db, ticket.id);
      const warnings = texts.filter((text) => text.includes('SLA warning'));
      const breaches = texts.filter((text) => text.includes('SLA breached'));
      expect(warnings).toEqual([
        expect.stringContaining(`(${priority}) — first response due in`),
        expect.stringContaining(`(${priority}) — resolution due in`),
      ]);
      // Each breach goes to the ticket's triage thread and to the triage channel.
      expect(breaches).toEqual([
        expect.stringContaining(`no first response within ${first[1]}`),
        expect.stringContaining(`no first response within ${first[1]}`),
        expect.stringContaining(`no resolution within ${resolution[1]}`),
        expect.stringContaining(`no resolution within ${resolution[1]}`),
      ]);
      const alerts = await db
        .selectFrom('sla_alerts')
        .select(['target', 'kind', 'created_at'])
        .where('ticket_id', '=', ticket.id)
        .where('kind', 'in', ['warning', 'breach'])
        .orderBy('created_at')
        .execute();
      expect(alerts.map((a) => [a.target, a.kind, a.created_at.getTime()])).toEqual(
        expected.map((e) => [e.target, e.kind, e.at]),
      );
    },
  );

  it('stores the due times on the ticket', async () => {
    const { ticket } = await newTicket('P2');
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.first_response_due_at?.getTime()).toBe(t0 + H);
    expect(row.resolution_due_at?.getTime()).toBe(t0 + 8 * H);
  });

  it('warns the triage channel once when unassigned, then posts the breach once and escalates to level 1', async () => {
    const { deps, clock, jobs, ticket } = await newTicket('P3');
    const warning = find(jobs.enqueued, 'first_response', 'warning');
    const breach = find(jobs.enqueued, 'first_response', 'breach');
    if (!warning || !breach) throw new Error('timers missing');

    const metrics = createMetrics();
    clock.set(warning.runAt);
    expect(await runTimerJob(deps, 'sla-check', warning.data, metrics)).toBe('posted');
    expect(await runTimerJob(deps, 'sla-check', warning.data, metrics)).not.toBe('posted');
    const afterWarning = await outboxTexts(db, ticket.id);
    expect(afterWarning.filter((text) => text.includes('SLA warning'))).toHaveLength(1);
    expect(afterWarning.find((text) => text.includes('SLA warning'))).toMatch(/first response due in 1h/);

    clock.set(breach.runAt);
    expect(await runTimerJob(deps, 'sla-check', breach.data, metrics)).toBe('posted');
    expect(await runTimerJob(deps, 'sla-check', breach.data, metrics)).not.toBe('posted');
    // /metrics counts each alert once, like the posts.
    const counted = await metrics.slaAlerts.get();
    expect(counted.values.map((v) => [v.labels.kind, v.labels.target, v.value])).toEqual([
      ['warning', 'first_response', 1],
      ['breach', 'first_response', 1],
    ]);
    const texts = await outboxTexts(db, ticket.id);
    // Once in the ticket's triage thread and once at the top of the triage channel.
    expect(texts.filter((text) => text.includes('SLA breached'))).toHaveLength(2);
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.escalation_level).toBe(1);
    const events = await db
      .selectFrom('ticket_events')
      .select('type')
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['sla_warning', 'sla_breached']));
    const cardUpdates = await db
      .selectFrom('outbox')
      .select('body')
      .where('ticket_id', '=', ticket.id)
      .where('op', '=', 'update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(cardUpdates.body)).toContain('Breached');
    expect(jobs.enqueued.some((job) => job.name === 'escalate' && job.data.level === 2)).toBe(true);
  });

  it('mentions the assignee in the ticket thread for a warning once the ticket is claimed', async () => {
    const { deps, clock, jobs, ticket } = await newTicket('P3');
    await claimTicket(deps, people.agent, ticket.id);
    const warning = find(jobs.enqueued, 'resolution', 'warning');
    if (!warning) throw new Error('no resolution warning');
    clock.set(warning.runAt);
    expect(await handleSlaCheck(deps, warning.data as never)).toBe('posted');
    const texts = await outboxTexts(db, ticket.id);
    expect(texts.filter((text) => text.includes('SLA warning'))).toEqual([
      expect.stringMatching(/^@Bob ⏰ SLA warning/),
    ]);
  });

  it('drops first-response timers once an agent replies', async () => {
    const { deps, clock, jobs, ticket } = await newTicket('P3');
    clock.advance(30 * M);
    await agentReply(deps, people.agent, ticket.id, 'Looking into it');
    const breach = find(jobs.enqueued, 'first_response', 'breach');
    clock.set(breach?.runAt ?? new Date());
    expect(await runTimerJob(deps, 'sla-check', breach?.data)).toBe('inactive');
    const state = await db
      .selectFrom('ticket_sla')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(state.first_response_met).toBe(true);
  });

  it('does not count time in pending: the resolution due time moves by the pause', async () => {
    const { deps, clock, jobs, ticket } = await newTicket('P3');
    clock.set(new Date(t0 + H));
    await setPending(deps, people.agent, ticket.id, 'Which laptop?');
    clock.set(new Date(t0 + 3 * H));
    await requesterReply(deps, people.requester, ticket.id, 'The Dell one');
    const breaches = jobs.enqueued.filter(
      (job) => job.name === 'sla-check' && job.data.target === 'resolution' && job.data.kind === 'breach',
    );
    expect(breaches.map((job) => job.runAt.getTime())).toEqual([t0 + 24 * H, t0 + 26 * H]);

    clock.set(new Date(t0 + 24 * H));
    expect(await runTimerJob(deps, 'sla-check', breaches[0]?.data)).toBe('moved');
    clock.set(new Date(t0 + 26 * H));
    expect(await runTimerJob(deps, 'sla-check', breaches[1]?.data)).toBe('posted');
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.resolution_due_at?.getTime()).toBe(t0 + 26 * H);
  });

  it('does not alert while the ticket is pending', async () => {
    const { deps, clock, jobs, ticket } = await newTicket('P3');
    clock.set(new Date(t0 + H));
    await setPending(deps, people.agent, ticket.id);
    const breach = find(jobs.enqueued, 'resolution', 'breach');
    clock.set(breach?.runAt ?? new Date());
    expect(await runTimerJob(deps, 'sla-check', breach?.data)).toBe('inactive');
    expect((await outboxTexts(db, ticket.id)).some((text) => text.includes('SLA'))).toBe(false);
  });

  it('re-computes the due times when the priority changes', async () => {
    const { deps, clock, jobs, ticket } = await newTicket('P3');
    clock.set(new Date(t0 + 5 * M));
    jobs.take();
    await setPriority(deps, people.agent, ticket.id, 'P1');
    const breach = find(jobs.enqueued, 'first_response', 'breach');
    expect(breach?.runAt.getTime()).toBe(t0 + 15 * M);
    const row = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.first_response_due_at?.getTime()).toBe(t0 + 15 * M);
    expect(jobs.enqueued.some((job) => job.name === 'page-on-call')).toBe(true);
  });

  it('counts business hours across a weekend when the policy says so', async () => {
    await setSetting(db, SETTING_KEYS.policies, { P3: { businessHours: true } }, null);
    // Friday 15:00 UTC; the default calendar is 09:00-17:00 UTC on weekdays.
    const { jobs } = await newTicket('P3', '2026-11-27T15:00:00.000Z');
    expect(find(jobs.enqueued, 'first_response', 'breach')?.runAt.toISOString()).toBe(
      '2026-11-30T11:00:00.000Z',
    );
    expect(find(jobs.enqueued, 'first_response', 'warning')?.runAt.toISOString()).toBe(
      '2026-11-30T10:00:00.000Z',
    );
  });

  it('posts each alert once however often jobs retry and the reconciler runs', async () => {
    const { deps, clock, jobs, ticket } = await newTicket('P1');
    const all = [...jobs.enqueued];
    clock.set(new Date(t0 + 20 * M));
    // Deliver every job three times, interleaved with reconciler runs that re-enqueue what is missing.
    for (let round = 0; round < 3; round++) {
      for (const job of all) {
        if (isTimerJob(job.name) && job.runAt <= clock.now()) await runTimerJob(deps, job.name, job.data);
      }
      jobs.lose();
      const result = await reconcileTimers(deps, {});
      expect(result.scanned).toBe(1);
      for (const job of jobs.take()) {
        if (isTimerJob(job.name) && job.runAt <= clock.now()) await runTimerJob(deps, job.name, job.data);
      }
    }
    const alerts = await db
      .selectFrom('sla_alerts')
      .select(['kind', 'target'])
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(alerts.map((a) => `${a.target}/${a.kind}`).sort()).toEqual([
      'first_response/breach',
      'resolution/page',
    ]);
    const texts = await outboxTexts(db, ticket.id);
    expect(texts.filter((text) => text.includes('SLA breached'))).toHaveLength(2);
    expect(texts.filter((text) => text.includes('P1 ticket'))).toHaveLength(1);
    // The warning came due after the breach had already passed, so only the breach was posted.
    expect(texts.filter((text) => text.includes('SLA warning'))).toHaveLength(0);
  });

  it('reconciler re-creates lost timers but only schedules, never posts', async () => {
    const { deps, clock, jobs, ticket } = await newTicket('P3');
    jobs.lose();
    clock.set(new Date(t0 + 5 * H));
    const result = await reconcileTimers(deps, {});
    expect(result).toMatchObject({ scanned: 1, nextAfterId: null });
    expect(slaJobs(jobs.enqueued).map((job) => `${job.data.target}/${job.data.kind}`)).toEqual([
      'first_response/breach',
      'resolution/warning',
      'resolution/breach',
    ]);
    expect(await outboxTexts(db, ticket.id)).not.toContainEqual(expect.stringContaining('SLA'));
  });

  it('reconciler walks many tickets in batches and continues in a follow-up job', async () => {
    const env = testDeps(db, T0);
    for (let i = 0; i < 7; i++) await newTicket('P4');
    const result = await reconcileTimers(env.deps, {}, { batchSize: 2, batchesPerRun: 2 });
    expect(result.scanned).toBe(4);
    expect(result.nextAfterId).not.toBeNull();
    const follow = env.jobs.enqueued.find((job) => job.name === 'reconcile-timers');
    const rest = await reconcileTimers(env.deps, follow?.data ?? {}, { batchSize: 2, batchesPerRun: 2 });
    expect(rest).toMatchObject({ scanned: 3, nextAfterId: null });
  });
});

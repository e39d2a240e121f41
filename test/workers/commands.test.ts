/**
 * The workers' admin commands (`sla`, `escalation`, `lifecycle`, `digest`) through the real command
 * path: the event is accepted into the inbox and run by `processEvent` on the real Postgres, and the
 * reply is read back from the outbox. The digest scheduler is checked on a real BullMQ queue.
 */
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import type { Db } from '../../src/core/db.ts';
import { accept } from '../../src/core/inbox/inbox.ts';
import type { JobQueue } from '../../src/core/jobs/jobs.ts';
import { processEvent } from '../../src/core/process/process-event.ts';
import { getSetting, setSetting, triageChannelKey } from '../../src/core/settings/settings.ts';
import { DEFAULT_POLICIES } from '../../src/core/sla/sla.policy.ts';
import { postDailyDigest } from '../../src/core/stats/digest.ts';
import {
  DEFAULT_ESCALATION,
  DEFAULT_LIFECYCLE,
  loadWorkerSettings,
  SETTING_KEYS,
} from '../../src/core/timers/settings.ts';
import { command, startTestApp, type TestApp } from '../support/app.ts';
import { TEST_REDIS_URL } from '../support/db.ts';
import {
  consoleTriage,
  type Enqueued,
  fileTicket,
  freshSchema,
  resetInstall,
  runTimerJob,
  setPending,
  type TestDb,
  testDeps,
  waitFor,
} from './support.ts';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const T0 = '2026-11-26T12:00:00.000Z';
const t0 = Date.parse(T0);

let testDb: TestDb;
let db: Db;
let people: Awaited<ReturnType<typeof resetInstall>>;

beforeAll(async () => {
  testDb = await freshSchema('workers_cmd');
  db = testDb.db;
});
afterAll(async () => testDb?.close());
beforeEach(async () => {
  people = await resetInstall(db);
});

type Who = 'alice' | 'bob' | 'carol';
const nameOf = (who: Who) => ({ alice: 'Alice', bob: 'Bob', carol: 'Carol' })[who];

/** Fresh core deps at `at`, whose queue also notes what the database showed when each job was enqueued. */
function commandEnv(at = T0) {
  const env = testDeps(db, at);
  const seenAtEnqueue: Array<{ name: string; policies: unknown }> = [];
  const jobs: JobQueue = {
    async enqueue(name, data, options) {
      // Read outside any transaction: only a committed change is visible here.
      if (name !== 'process-event')
        seenAtEnqueue.push({ name, policies: await getSetting(db, SETTING_KEYS.policies) });
      return env.jobs.enqueue(name, data, options);
    },
  };
  const deps = { ...env.deps, jobs };
  /** Sends `text` as a command from `who`, processes it, and returns the reply the outbox holds. */
  async function run(who: Who, text: string): Promise<string> {
    const event = command(who, text, { ...consoleTriage, thread: undefined });
    // The console identity is keyed by the lower-case name; keep the display name the seed gave it.
    event.sender.displayName = nameOf(who);
    const { id } = await accept(deps, event);
    expect(await processEvent(deps, id)).toBe('done');
    // Commands arrive a second apart, as typed ones do.
    env.clock.advance(S);
    const row = await db
      .selectFrom('outbox')
      .select('body')
      .where('idempotency_key', '=', `result-${id}`)
      .executeTakeFirstOrThrow();
    return row.body.message?.text ?? '';
  }
  const named = (name: string) => env.jobs.enqueued.filter((job) => job.name === name);
  return { ...env, deps, run, named, seenAtEnqueue };
}

/** The worker settings as stored, or undefined for each key nobody changed. */
async function storedWorkerSettings() {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', Object.values(SETTING_KEYS))
    .execute();
  return Object.fromEntries(rows.map((row) => [row.key, row.value]));
}

describe('sla', () => {
  it('shows every priority’s targets and the business hours to agents; requesters are refused', async () => {
    const { run } = commandEnv();
    const shown = await run('bob', 'sla');
    for (const line of [
      'P1: first response 15m, resolution 4h',
      'P2: first response 1h, resolution 8h',
      'P3: first response 4h, resolution 1d',
      'P4: first response 8h, resolution 3d',
      'Business hours: mon 09:00-17:00; tue 09:00-17:00; wed 09:00-17:00; thu 09:00-17:00; fri 09:00-17:00 (UTC)',
    ])
      expect(shown).toContain(line);
    expect(await run('alice', 'sla')).toMatch(/`sla` needs the agent role \(you are a requester\)/);
  });

  it('lets an admin change first response, resolution and business hours of one priority', async () => {
    const { run, named } = commandEnv();
    expect(await run('carol', 'sla P2 first-response 30m')).toBe(
      'P2: first response 30m, resolution 8h. Open tickets are re-planned.',
    );
    expect(await run('carol', 'sla P2 resolution 8h')).toMatch(/^P2: first response 30m, resolution 8h\./);
    expect(await run('carol', 'sla P2 business-hours on')).toMatch(/resolution 8h \(business hours\)\./);
    let { policies } = await loadWorkerSettings(db);
    expect(policies.P2).toEqual({ firstResponseMs: 30 * M, resolutionMs: 8 * H, businessHours: true });
    expect(await run('carol', 'sla p2 BUSINESS-HOURS off')).not.toContain('business hours');
    ({ policies } = await loadWorkerSettings(db));
    expect(policies.P2.businessHours).toBe(false);
    // The other priorities keep their defaults.
    expect({ ...policies, P2: DEFAULT_POLICIES.P2 }).toEqual(DEFAULT_POLICIES);
    expect(named('reconcile-timers')).toHaveLength(4);
    expect(await run('bob', 'sla')).toContain('P2: first response 30m, resolution 8h');
  });

  it.each([
    ['45s', 45 * S],
    ['30m', 30 * M],
    ['8h', 8 * H],
    ['2d', 2 * D],
    ['1h30m', 90 * M],
    ['1d12h', 36 * H],
    ['2h15m30s', 2 * H + 15 * M + 30 * S],
  ])('reads the duration %s as %i ms', async (typed, ms) => {
    const { run } = commandEnv();
    expect(await run('carol', `sla P3 first-response ${typed}`)).toMatch(
      new RegExp(`^P3: first response ${typed}, resolution 1d\\.`),
    );
    expect((await loadWorkerSettings(db)).policies.P3.firstResponseMs).toBe(ms);
  });

  it('refuses agents and requesters who try to change a target, and changes nothing', async () => {
    const { run, named } = commandEnv();
    for (const text of [
      'sla P2 first-response 30m',
      'sla P2 resolution 2h',
      'sla P2 business-hours on',
      'sla hours mon-fri 08:00-16:00 Europe/Berlin',
      'sla holiday 2026-12-25',
    ]) {
      expect(await run('bob', text)).toBe('Only admins can change SLA targets.');
      expect(await run('alice', text)).toMatch(/needs the agent role/);
    }
    expect(await storedWorkerSettings()).toEqual({});
    expect(named('reconcile-timers')).toEqual([]);
  });

  it('answers bad input with the usage line and changes nothing', async () => {
    const { run, named } = commandEnv();
    const policyUsage = /Usage: `sla P2 first-response 30m`, `sla P2 resolution 8h`/;
    const cases: Array<[string, RegExp]> = [
      ['sla P9 first-response 30m', /`P9` is not a priority/],
      ['sla P2 first-response 10x', /`10x` is not a duration/],
      ['sla P2 first-response 0m', /`0m` is not a duration/],
      ['sla P2 first-response', /is not a duration/],
      ['sla P2 response 1h', policyUsage],
      ['sla P2 business-hours maybe', policyUsage],
      ['sla hours mon-fri 09:00-17:00 Mars/Olympus', /unknown time zone Mars\/Olympus/],
      ['sla hours someday 09:00-17:00', /Usage: `sla hours mon-fri 09:00-17:00/],
      ['sla hours mon-fri', /Usage: `sla hours mon-fri 09:00-17:00/],
      ['sla hours mon-fri 9-5', /bad range 9-5/],
      ['sla holiday 2026-13-45', /`2026-13-45` is not a date/],
      ['sla holiday christmas', /Usage: `sla holiday 2026-12-25`/],
    ];
    for (const [text, reason] of cases) {
      const answer = await run('carol', text);
      expect(answer, text).toMatch(reason);
      expect(answer, text).toMatch(/Usage: `sla /);
    }
    expect(await storedWorkerSettings()).toEqual({});
    expect(named('reconcile-timers')).toEqual([]);
  });

  it('sets the business hours in a time zone and adds and removes holidays', async () => {
    const { run, named } = commandEnv();
    expect(await run('carol', 'sla hours mon-fri 08:00-16:30 Europe/Berlin')).toMatch(
      /^Business hours are now mon-fri 08:00-16:30 \(Europe\/Berlin\)/,
    );
    expect(await run('carol', 'sla holiday 2026-12-25')).toBe('2026-12-25 is now a holiday.');
    expect(await run('carol', 'sla holiday 2026-12-24')).toBe('2026-12-24 is now a holiday.');
    expect((await loadWorkerSettings(db)).calendar).toEqual({
      timeZone: 'Europe/Berlin',
      week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['08:00-16:30']])),
      holidays: ['2026-12-24', '2026-12-25'],
    });
    expect(await run('carol', 'sla holiday 2026-12-25 off')).toBe('2026-12-25 is a working day again.');
    expect(await run('carol', 'sla holiday 2026-12-25 off')).toBe(
      '2026-12-25 is not a holiday; nothing changed.',
    );
    // Without a zone the schedule keeps the one it has.
    await run('carol', 'sla hours sat-sun 10:00-14:00');
    const { calendar } = await loadWorkerSettings(db);
    expect(calendar).toEqual({
      timeZone: 'Europe/Berlin',
      week: { sat: ['10:00-14:00'], sun: ['10:00-14:00'] },
      holidays: ['2026-12-24'],
    });
    expect(await run('bob', 'sla')).toContain(
      'Business hours: sun 10:00-14:00; sat 10:00-14:00 (Europe/Berlin); holidays 2026-12-24',
    );
    // One re-plan per change; the no-op `off` changed nothing and re-planned nothing.
    expect(named('reconcile-timers')).toHaveLength(5);
  });

  it('re-plans open tickets after commit: the reconciler moves their due times and timers', async () => {
    const filed = await fileTicket(
      db,
      people.requester,
      { description: 'Laptop will not boot', category: 'hardware', priority: 'P2' },
      T0,
    );
    const ticketId = filed.ticket.id;
    const { run, named, clock, deps, seenAtEnqueue, jobs } = commandEnv(new Date(t0 + 5 * M).toISOString());
    await run('carol', 'sla P2 first-response 30m');
    await run('carol', 'sla P2 resolution 2h');

    // Each reconcile job was enqueued only once the new policy was committed.
    const reconciles = named('reconcile-timers');
    expect(reconciles).toHaveLength(2);
    expect(seenAtEnqueue.filter((seen) => seen.name === 'reconcile-timers').map((s) => s.policies)).toEqual([
      expect.objectContaining({
        P2: expect.objectContaining({ firstResponseMs: 30 * M, resolutionMs: 8 * H }),
      }),
      expect.objectContaining({
        P2: expect.objectContaining({ firstResponseMs: 30 * M, resolutionMs: 2 * H }),
      }),
    ]);
    jobs.take();
    for (const job of reconciles) await runTimerJob(deps, 'reconcile-timers', job.data);

    const ticket = await db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(ticket.first_response_due_at?.getTime()).toBe(t0 + 30 * M);
    expect(ticket.resolution_due_at?.getTime()).toBe(t0 + 2 * H);
    const cardUpdates = await db
      .selectFrom('outbox')
      .select('idempotency_key')
      .where('ticket_id', '=', ticketId)
      .where('op', '=', 'update')
      .execute();
    expect(cardUpdates.map((row) => row.idempotency_key)).toContainEqual(
      expect.stringContaining(`sla-due-${ticketId}-${t0 + 30 * M}-${t0 + 2 * H}`),
    );
    const runAt = (target: string, kind: string) =>
      jobs.enqueued
        .filter((job) => job.name === 'sla-check' && job.data.target === target && job.data.kind === kind)
        .map((job) => job.runAt.getTime());
    expect(runAt('first_response', 'warning')).toEqual([t0 + 22.5 * M]);
    expect(runAt('first_response', 'breach')).toEqual([t0 + 30 * M]);
    expect(runAt('resolution', 'breach')).toEqual([t0 + 2 * H]);

    // The new breach posts at its time; the job planned for the old due time does nothing.
    const breach = jobs.enqueued.find(
      (job) => job.name === 'sla-check' && job.data.target === 'first_response' && job.data.kind === 'breach',
    ) as Enqueued;
    clock.set(breach.runAt);
    expect(await runTimerJob(deps, 'sla-check', breach.data)).toBe('posted');
    const old = filed.jobs.enqueued.find(
      (job) => job.name === 'sla-check' && job.data.target === 'first_response' && job.data.kind === 'breach',
    ) as Enqueued;
    expect(old.runAt.getTime()).toBe(t0 + H);
    clock.set(old.runAt);
    expect(['moved', 'inactive']).toContain(await runTimerJob(deps, 'sla-check', old.data));
    const breaches = await db
      .selectFrom('sla_alerts')
      .select('due_at')
      .where('ticket_id', '=', ticketId)
      .where('kind', '=', 'breach')
      .execute();
    expect(breaches.map((row) => row.due_at.getTime())).toEqual([t0 + 30 * M]);
  });

  it('re-plans after each of two changes made at the same instant, the first already run', async () => {
    const filed = await fileTicket(
      db,
      people.requester,
      { description: 'Laptop will not boot', category: 'hardware', priority: 'P2' },
      T0,
    );
    const instant = new Date(t0 + 5 * M);
    const { run, clock, deps, jobs } = commandEnv(instant.toISOString());
    const replans = () => jobs.take().filter((job) => job.name === 'reconcile-timers');
    const dueTimes = async () => {
      const ticket = await db
        .selectFrom('tickets')
        .select(['first_response_due_at', 'resolution_due_at'])
        .where('id', '=', filed.ticket.id)
        .executeTakeFirstOrThrow();
      return [ticket.first_response_due_at?.getTime(), ticket.resolution_due_at?.getTime()];
    };

    await run('carol', 'sla P2 first-response 30m');
    const first = replans();
    expect(first).toHaveLength(1);
    // The first run finishes (BullMQ keeps its id for an hour) before the second change arrives.
    await runTimerJob(deps, 'reconcile-timers', first[0]?.data);
    expect(await dueTimes()).toEqual([t0 + 30 * M, t0 + 8 * H]);

    clock.set(instant);
    await run('carol', 'sla P2 resolution 2h');
    const second = replans();
    expect(second).toHaveLength(1);
    await runTimerJob(deps, 'reconcile-timers', second[0]?.data);
    expect(await dueTimes()).toEqual([t0 + 30 * M, t0 + 2 * H]);

    const ids = [...first, ...second].map((job) => job.options.jobId ?? '');
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^reconcile-policy-sla-policies-\d+-\d+$/);
  });
});

describe('escalation', () => {
  it('shows the ladder to agents and lets only admins switch it and set its intervals', async () => {
    const { run, named } = commandEnv();
    const shown = await run('bob', 'escalation');
    expect(shown).toMatch(/^Escalation is on:/);
    expect(shown).toContain('L2 30m later: escalation channel, on-call, priority +1');
    expect(shown).toContain('L3 1h after L2: the admins');
    expect(await run('alice', 'escalation')).toMatch(/needs the agent role/);
    for (const text of ['escalation off', 'escalation L2 after 45m'])
      expect(await run('bob', text)).toBe('Only admins can change the escalation ladder.');
    expect(await storedWorkerSettings()).toEqual({});

    expect(await run('carol', 'escalation off')).toBe('Escalation is off; L2 after 30m, L3 after 1h.');
    expect(await run('carol', 'escalation L2 after 45m')).toBe(
      'Escalation is off; L2 after 45m, L3 after 1h.',
    );
    expect(await run('carol', 'escalation l3 after 2h30m')).toBe(
      'Escalation is off; L2 after 45m, L3 after 2h30m.',
    );
    expect(await run('carol', 'escalation on')).toMatch(/^Escalation is on;/);
    expect((await loadWorkerSettings(db)).escalation).toEqual({
      enabled: true,
      afterMs: { 2: 45 * M, 3: 2.5 * H },
    });
    expect(named('reconcile-timers')).toHaveLength(4);

    for (const text of [
      'escalation L2 after soon',
      'escalation L2 30m',
      'escalation L4 after 1h',
      'escalation up',
    ])
      expect(await run('carol', text), text).toMatch(/^Usage: `escalation/);
    expect((await loadWorkerSettings(db)).escalation.afterMs[2]).toBe(45 * M);
    expect(named('reconcile-timers')).toHaveLength(4);
    expect(DEFAULT_ESCALATION.afterMs[2]).toBe(30 * M);
  });

  it('`escalation stop #N` lets an agent end one ticket’s ladder, once, on the timeline', async () => {
    const { ticket } = await fileTicket(
      db,
      people.requester,
      { description: 'Shared drive is read-only', category: 'access', priority: 'P3' },
      T0,
    );
    const { run } = commandEnv();
    expect(await run('alice', `escalation stop #${ticket.number}`)).toMatch(/needs the agent role/);
    expect(await run('bob', 'escalation stop')).toBe('Usage: `escalation stop #N`');
    expect(await run('bob', 'escalation stop #9999')).toBe('No ticket #9999.');
    // Not breached yet: the breach (level 1) would still be posted, so the answer says so.
    expect(await run('bob', `escalation stop #${ticket.number}`)).toBe(
      `Escalation of #${ticket.number} stopped: if its SLA is breached, the breach is still posted, but no escalation follows.`,
    );
    expect(await run('bob', `escalation stop #${ticket.number}`)).toBe(
      `Escalation of #${ticket.number} is already stopped.`,
    );
    const state = await db
      .selectFrom('ticket_sla')
      .select(['escalation_stopped_at', 'escalation_stopped_by'])
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    // Stopped by the first `stop` (the fourth command, each a second apart); the second changed nothing.
    expect(state).toEqual({
      escalation_stopped_at: new Date(t0 + 3 * S),
      escalation_stopped_by: people.agent.id,
    });
    const events = await db
      .selectFrom('ticket_events')
      .select('type')
      .where('ticket_id', '=', ticket.id)
      .where('type', '=', 'escalation_stopped')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('`escalation stop #N` on a ticket with no SLA record yet creates the record and stops it', async () => {
    const { ticket } = await fileTicket(
      db,
      people.requester,
      { description: 'VPN drops every hour', category: 'network', priority: 'P3' },
      T0,
    );
    // As for a ticket filed before the SLA workers ran.
    await db.deleteFrom('ticket_sla').where('ticket_id', '=', ticket.id).execute();
    const { run, named } = commandEnv();
    expect(await run('bob', `escalation stop #${ticket.number}`)).toBe(
      `Escalation of #${ticket.number} stopped: if its SLA is breached, the breach is still posted, but no escalation follows.`,
    );
    const state = await db
      .selectFrom('ticket_sla')
      .select(['status', 'escalation_stopped_at', 'escalation_stopped_by'])
      .where('ticket_id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(state).toEqual({
      status: 'new',
      escalation_stopped_at: new Date(t0),
      escalation_stopped_by: people.agent.id,
    });
    // The record brings the ticket's timers with it, as its next change would have.
    expect(named('sla-check').map((job) => job.data.kind)).toContain('breach');
    expect(await run('bob', `escalation stop #${ticket.number}`)).toBe(
      `Escalation of #${ticket.number} is already stopped.`,
    );
  });
});

describe('lifecycle', () => {
  it('shows the periods to agents and lets admins change each, re-planning pending tickets', async () => {
    const filed = await fileTicket(
      db,
      people.requester,
      { description: 'Which dock do I need?', category: 'hardware', priority: 'P4' },
      T0,
    );
    await setPending(filed.deps, people.agent, filed.ticket.id, 'Which laptop model?');
    const { run, named, deps, jobs } = commandEnv(new Date(t0 + H).toISOString());
    expect(await run('bob', 'lifecycle')).toBe(
      'Pending tickets: the requester is nudged after 1d, and the ticket is resolved 2d after that without a reply. Resolved tickets close after 3d unless the requester replies (which reopens them).',
    );
    expect(await run('bob', 'lifecycle nudge 2h')).toBe('Only admins can change these periods.');
    expect(await run('carol', 'lifecycle nudge 12h')).toBe('nudge is now 12h.');
    expect(await run('carol', 'lifecycle auto-resolve 1d')).toBe('auto-resolve is now 1d.');
    expect(await run('carol', 'lifecycle auto-close 5d')).toBe('auto-close is now 5d.');
    for (const text of ['lifecycle nudge', 'lifecycle nudge soon', 'lifecycle snooze 1d'])
      expect(await run('carol', text), text).toMatch(/^Usage: `lifecycle nudge 1d`/);
    expect((await loadWorkerSettings(db)).lifecycle).toEqual({
      nudgeAfterMs: 12 * H,
      autoResolveAfterMs: D,
      autoCloseAfterMs: 5 * D,
    });
    expect(DEFAULT_LIFECYCLE.nudgeAfterMs).toBe(D);

    const reconciles = named('reconcile-timers');
    expect(reconciles).toHaveLength(3);
    jobs.take();
    await runTimerJob(deps, 'reconcile-timers', reconciles.at(-1)?.data);
    const runAt = (name: string) =>
      jobs.enqueued.filter((j) => j.name === name).map((j) => j.runAt.getTime());
    expect(runAt('pending-nudge')).toEqual([t0 + 12 * H]);
    expect(runAt('auto-resolve')).toEqual([t0 + 12 * H + D]);
  });
});

describe('digest', () => {
  it('shows when it is posted; admins set the time and zone (re-scheduling it) or post one now', async () => {
    const { run, named, deps } = commandEnv();
    expect(await run('bob', 'digest')).toBe(
      'The daily digest is posted to the triage channel at 08:00 (UTC).',
    );
    expect(await run('alice', 'digest')).toMatch(/needs the agent role/);
    for (const text of ['digest at 07:30 Europe/Berlin', 'digest now'])
      expect(await run('bob', text)).toBe('Only admins can change the digest.');
    for (const text of [
      'digest at 25:00',
      'digest at 7.30',
      'digest at',
      'digest at 07:30 Mars/Olympus',
      'digest sometime',
    ])
      expect(await run('carol', text), text).toBe('Usage: `digest at 08:00 Europe/Berlin` or `digest now`');
    expect(await storedWorkerSettings()).toEqual({});
    expect(named('schedule-digest')).toEqual([]);

    expect(await run('carol', 'digest at 07:30 Europe/Berlin')).toBe(
      'The daily digest will be posted at 07:30 (Europe/Berlin).',
    );
    expect(await storedWorkerSettings()).toEqual({
      [SETTING_KEYS.digestTime]: '07:30',
      [SETTING_KEYS.digestTz]: 'Europe/Berlin',
    });
    expect(named('schedule-digest')).toHaveLength(1);
    expect(await run('bob', 'digest')).toBe(
      'The daily digest is posted to the triage channel at 07:30 (Europe/Berlin).',
    );
    // Without a zone the time changes and the zone stays.
    await run('carol', 'digest at 6:45');
    expect(await run('bob', 'digest')).toBe(
      'The daily digest is posted to the triage channel at 6:45 (Europe/Berlin).',
    );

    expect(await run('carol', 'digest now')).toBe('Posting a digest to the triage channel now.');
    const [manual] = named('digest');
    expect(manual?.data).toEqual({ manualAt: expect.stringMatching(/^2026-11-26T12:00:\d\d\.000Z$/) });
    expect(await postDailyDigest(deps, manual?.data ?? {})).toBe('posted');
    const post = await db
      .selectFrom('outbox')
      .select('body')
      .where('purpose', '=', 'digest')
      .executeTakeFirstOrThrow();
    expect(post.body.message?.card?.title).toBe(
      '📊 Helpdesk digest · Thu 26 Nov 2026, 13:00 (Europe/Berlin)',
    );
  });
});

describe('digest on a real queue', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('`digest at` re-schedules the BullMQ job scheduler with the new cron pattern and zone; `digest now` posts', async () => {
    app = await startTestApp({
      http: false,
      clock: fixedClock(T0),
      env: { HELPDESK_ADMINS: 'carol@example.com' },
    });
    const started = app;
    await setSetting(started.deps.db, triageChannelKey('console'), consoleTriage, null);
    const queue = new Queue(started.config.QUEUE_PREFIX, {
      connection: { url: TEST_REDIS_URL },
      prefix: started.config.QUEUE_PREFIX,
    });
    try {
      const scheduler = () => queue.getJobScheduler('cron-digest');
      expect(await scheduler()).toMatchObject({ name: 'digest', pattern: '0 8 * * *', tz: 'UTC' });

      await started.accept(command('carol', 'digest at 07:30 Europe/Berlin'));
      const updated = await waitFor(async () => {
        const found = await scheduler();
        return found?.tz === 'Europe/Berlin' ? found : undefined;
      });
      expect(updated).toMatchObject({ name: 'digest', pattern: '30 7 * * *', tz: 'Europe/Berlin' });
      expect((await queue.getJobSchedulers()).filter((s) => s.name === 'digest')).toHaveLength(1);

      await started.accept(command('carol', 'digest now'));
      await waitFor(async () =>
        started.output().includes('Helpdesk digest · Thu 26 Nov 2026, 13:00 (Europe/Berlin)')
          ? true
          : undefined,
      );
      await started.idle();
      expect(started.output().match(/┌ 📊 Helpdesk digest/g)).toHaveLength(1);
    } finally {
      await queue.close();
    }
  });
});

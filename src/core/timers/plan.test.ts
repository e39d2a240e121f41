import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../sla/calendar.ts';
import { DEFAULT_POLICIES, mergePolicies } from '../sla/sla.policy.ts';
import { nextSlaState, planTimers, type TimerTicket, withOutcomes } from './plan.ts';
import { DEFAULT_ESCALATION, DEFAULT_LIFECYCLE, type WorkerSettings } from './settings.ts';

const M = 60_000;
const H = 60 * M;
const at = (iso: string) => new Date(iso);
const created = at('2026-11-26T10:00:00Z');
const settings: WorkerSettings = {
  policies: DEFAULT_POLICIES,
  calendar: DEFAULT_CALENDAR,
  escalation: DEFAULT_ESCALATION,
  lifecycle: DEFAULT_LIFECYCLE,
};

function ticket(over: Partial<TimerTicket> = {}): TimerTicket {
  return {
    id: 7,
    priority: 'P3',
    status: 'new',
    created_at: created,
    first_response_at: null,
    resolved_at: null,
    escalation_level: 0,
    ...over,
  };
}

describe('planTimers', () => {
  it('plans a warning and a breach for both targets of a new ticket', () => {
    const t = ticket();
    const plan = planTimers(t, nextSlaState(null, t, created), settings);
    const rows = plan.map((job) => [
      job.name,
      job.alert?.kind,
      job.alert?.target,
      job.runAt.getTime() - created.getTime(),
    ]);
    expect(rows).toEqual([
      ['sla-check', 'warning', 'first_response', 3 * H],
      ['sla-check', 'breach', 'first_response', 4 * H],
      ['sla-check', 'warning', 'resolution', 18 * H],
      ['sla-check', 'breach', 'resolution', 24 * H],
    ]);
    expect(plan.every((job) => !job.jobId.includes(':'))).toBe(true);
    expect(new Set(plan.map((job) => job.jobId)).size).toBe(plan.length);
  });

  it('drops first-response timers once an agent answered', () => {
    const t = ticket({ status: 'open', first_response_at: at('2026-11-26T10:05:00Z') });
    const plan = planTimers(t, nextSlaState(null, t, created), settings);
    expect(plan.map((job) => job.alert?.target)).toEqual(['resolution', 'resolution']);
  });

  it('plans no SLA timers while pending, but the nudge and the auto-resolve', () => {
    const t = ticket({ status: 'open' });
    const open = nextSlaState(null, t, created);
    const pendingAt = at('2026-11-26T11:00:00Z');
    const pending = nextSlaState(open, { ...t, status: 'pending' }, pendingAt);
    const plan = planTimers({ ...t, status: 'pending' }, pending, settings);
    expect(plan.map((job) => [job.name, job.runAt.getTime() - pendingAt.getTime()])).toEqual([
      ['pending-nudge', DEFAULT_LIFECYCLE.nudgeAfterMs],
      ['auto-resolve', DEFAULT_LIFECYCLE.nudgeAfterMs + DEFAULT_LIFECYCLE.autoResolveAfterMs],
    ]);
  });

  it('moves the due times by the time spent pending, with new job ids', () => {
    const t = ticket({ status: 'open' });
    const open = nextSlaState(null, t, created);
    const before = planTimers(t, open, settings);
    const paused = nextSlaState(open, { ...t, status: 'pending' }, at('2026-11-26T11:00:00Z'));
    const resumed = nextSlaState(paused, t, at('2026-11-26T13:00:00Z'));
    const after = planTimers(t, resumed, settings);
    expect(after.map((job) => job.runAt.getTime() - 2 * H)).toEqual(before.map((job) => job.runAt.getTime()));
    expect(after.map((job) => job.jobId)).not.toEqual(before.map((job) => job.jobId));
  });

  it('re-plans from the new priority target when the priority changes', () => {
    const p3 = planTimers(ticket(), nextSlaState(null, ticket(), created), settings);
    const p1 = planTimers(ticket({ priority: 'P1' }), nextSlaState(null, ticket(), created), settings);
    expect(p3[1]?.runAt.getTime()).toBe(created.getTime() + 4 * H);
    expect(p1[1]?.runAt.getTime()).toBe(created.getTime() + 15 * M);
    expect(p1.some((job) => job.name === 'page-on-call')).toBe(true);
    expect(p3.some((job) => job.name === 'page-on-call')).toBe(false);
  });

  it('plans the next escalation level from the time the current one was reached', () => {
    const t = ticket({ status: 'open', escalation_level: 1 });
    const state = { ...nextSlaState(null, t, created), escalated_at: at('2026-11-26T14:00:00Z') };
    const esc = planTimers(t, state, settings).find((job) => job.name === 'escalate');
    expect(esc?.data).toEqual({ ticketId: 7, level: 2, since: '2026-11-26T14:00:00.000Z' });
    expect(esc?.runAt).toEqual(at('2026-11-26T14:30:00Z'));
    const stopped = { ...state, escalation_stopped_at: at('2026-11-26T14:10:00Z') };
    expect(planTimers(t, stopped, settings).some((job) => job.name === 'escalate')).toBe(false);
  });

  it('plans auto-close N days after resolution', () => {
    const t = ticket({ status: 'resolved', resolved_at: at('2026-11-26T12:00:00Z') });
    const plan = planTimers(t, nextSlaState(null, t, at('2026-11-26T12:00:00Z')), settings);
    expect(plan.map((job) => [job.name, job.runAt.toISOString()])).toEqual([
      ['auto-close', '2026-11-29T12:00:00.000Z'],
    ]);
  });

  it('uses business hours when the policy says so', () => {
    const business = { ...settings, policies: mergePolicies({ P3: { businessHours: true } }) };
    const friday = ticket({ created_at: at('2026-11-27T15:00:00Z') });
    const plan = planTimers(friday, nextSlaState(null, friday, friday.created_at), business);
    expect(plan[1]?.runAt).toEqual(at('2026-11-30T11:00:00Z'));
  });
});

describe('withOutcomes', () => {
  it('records a first response before the due time as met and a late resolution as missed', () => {
    const t = ticket({
      status: 'resolved',
      first_response_at: at('2026-11-26T11:00:00Z'),
      resolved_at: at('2026-11-27T11:00:00Z'),
    });
    const due = { first_response: at('2026-11-26T14:00:00Z'), resolution: at('2026-11-27T10:00:00Z') };
    const state = withOutcomes(nextSlaState(null, t, t.resolved_at as Date), t, due);
    expect([state.first_response_met, state.resolution_met]).toEqual([true, false]);
  });

  it('forgets the resolution outcome when a resolved ticket reopens', () => {
    const t = ticket({ status: 'resolved', resolved_at: at('2026-11-26T12:00:00Z') });
    const resolved = { ...nextSlaState(null, t, t.resolved_at as Date), resolution_met: true };
    const reopened = nextSlaState(resolved, { ...t, status: 'open' }, at('2026-11-26T13:00:00Z'));
    expect(reopened.resolution_met).toBeNull();
    expect(reopened.pauses).toEqual([['2026-11-26T12:00:00.000Z', '2026-11-26T13:00:00.000Z']]);
  });
});

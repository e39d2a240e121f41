import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from './calendar.ts';
import {
  alertTime,
  computeDueTimes,
  DEFAULT_POLICIES,
  dueAfter,
  mergePolicies,
  raisePriority,
} from './sla.policy.ts';

const M = 60_000;
const H = 60 * M;
const at = (iso: string) => new Date(iso);
const created = at('2026-11-26T10:00:00Z');

describe('computeDueTimes', () => {
  it('uses the taxonomy targets per priority around the clock by default', () => {
    const expected = {
      P1: [15 * M, 4 * H],
      P2: [H, 8 * H],
      P3: [4 * H, 24 * H],
      P4: [8 * H, 72 * H],
    } as const;
    for (const [priority, [first, resolution]] of Object.entries(expected)) {
      const due = computeDueTimes(
        { priority: priority as 'P1', created_at: created },
        DEFAULT_POLICIES,
        [],
        DEFAULT_CALENDAR,
      );
      expect(due.first_response?.getTime()).toBe(created.getTime() + first);
      expect(due.resolution?.getTime()).toBe(created.getTime() + resolution);
    }
  });

  it('counts business hours only when the priority says so', () => {
    const policies = mergePolicies({ P3: { businessHours: true } });
    // Friday 15:00 UTC + 4h of work (09:00-17:00 UTC) = Monday 11:00.
    const friday = at('2026-11-27T15:00:00Z');
    const due = computeDueTimes({ priority: 'P3', created_at: friday }, policies, [], DEFAULT_CALENDAR);
    expect(due.first_response).toEqual(at('2026-11-30T11:00:00Z'));
    const p2 = computeDueTimes({ priority: 'P2', created_at: friday }, policies, [], DEFAULT_CALENDAR);
    expect(p2.first_response).toEqual(at('2026-11-27T16:00:00Z'));
  });
});

describe('dueAfter with pauses', () => {
  it('moves the due time later by the length of a pause before it', () => {
    const pauses = [{ from: at('2026-11-26T11:00:00Z'), to: at('2026-11-26T13:30:00Z') }];
    expect(dueAfter(created, 4 * H, pauses, null)).toEqual(at('2026-11-26T16:30:00Z'));
  });

  it('does not move a due time that passed before the pause began', () => {
    const pauses = [{ from: at('2026-11-26T15:00:00Z'), to: at('2026-11-26T18:00:00Z') }];
    expect(dueAfter(created, 4 * H, pauses, null)).toEqual(at('2026-11-26T14:00:00Z'));
  });

  it('is unknown while an open pause that began before it is running', () => {
    expect(dueAfter(created, 4 * H, [{ from: at('2026-11-26T11:00:00Z'), to: null }], null)).toBeNull();
    expect(dueAfter(created, 4 * H, [{ from: at('2026-11-26T15:00:00Z'), to: null }], null)).toEqual(
      at('2026-11-26T14:00:00Z'),
    );
  });

  it('adds several pauses in any order', () => {
    const pauses = [
      { from: at('2026-11-26T13:00:00Z'), to: at('2026-11-26T14:00:00Z') },
      { from: at('2026-11-26T11:00:00Z'), to: at('2026-11-26T11:30:00Z') },
    ];
    expect(dueAfter(created, 4 * H, pauses, null)).toEqual(at('2026-11-26T15:30:00Z'));
  });

  it('only subtracts the working part of a pause with business hours', () => {
    // 4h of work from Friday 15:00: 2h on Friday, paused Friday 16:00 to Monday 10:00 (1h of work lost)
    // so Monday counts from 10:00 and the remaining 3h end at 13:00.
    const pauses = [{ from: at('2026-11-27T16:00:00Z'), to: at('2026-11-30T10:00:00Z') }];
    expect(dueAfter(at('2026-11-27T15:00:00Z'), 4 * H, pauses, DEFAULT_CALENDAR)).toEqual(
      at('2026-11-30T13:00:00Z'),
    );
  });
});

describe('alertTime', () => {
  it('warns at 75 % and breaches at 100 % of the target', () => {
    const ticket = { priority: 'P1' as const, created_at: created };
    const warning = alertTime(ticket, 'first_response', 'warning', DEFAULT_POLICIES, [], DEFAULT_CALENDAR);
    const breach = alertTime(ticket, 'first_response', 'breach', DEFAULT_POLICIES, [], DEFAULT_CALENDAR);
    expect(warning?.getTime()).toBe(created.getTime() + 11.25 * M);
    expect(breach?.getTime()).toBe(created.getTime() + 15 * M);
  });
});

describe('mergePolicies', () => {
  it('keeps defaults for what is not stored and ignores nonsense', () => {
    const merged = mergePolicies({ P2: { firstResponseMs: 30 * M }, P3: { resolutionMs: -1 }, P9: {} });
    expect(merged.P2).toEqual({ firstResponseMs: 30 * M, resolutionMs: 8 * H, businessHours: false });
    expect(merged.P3).toEqual(DEFAULT_POLICIES.P3);
    expect(mergePolicies(null)).toEqual(DEFAULT_POLICIES);
  });
});

describe('raisePriority', () => {
  it('raises one step and stops at P1', () => {
    expect(['P4', 'P3', 'P2', 'P1'].map((p) => raisePriority(p as 'P1'))).toEqual(['P3', 'P2', 'P1', 'P1']);
  });
});

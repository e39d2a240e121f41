/**
 * SLA targets per priority and the due-time maths: pure, so warnings and breaches are tested
 * with plain dates. Time while a ticket waits on the requester (or sits resolved) is a pause.
 */
import type { Priority } from '../tickets/ticket.ts';
import { addBusinessTime, type BusinessCalendar, businessTimeBetween } from './calendar.ts';

export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export type AlertKind = 'warning' | 'breach';

/** The share of a target after which the assignee is warned. */
export const WARNING_SHARE = 0.75;

export interface PriorityPolicy {
  firstResponseMs: number;
  resolutionMs: number;
  /** Count only the business calendar's working hours. */
  businessHours: boolean;
}

export type SlaPolicies = Record<Priority, PriorityPolicy>;

const M = 60_000;
const H = 60 * M;

/** Defaults from the taxonomy: P1 15m/4h, P2 1h/8h, P3 4h/24h, P4 8h/72h, round the clock. */
export const DEFAULT_POLICIES: SlaPolicies = {
  P1: { firstResponseMs: 15 * M, resolutionMs: 4 * H, businessHours: false },
  P2: { firstResponseMs: 1 * H, resolutionMs: 8 * H, businessHours: false },
  P3: { firstResponseMs: 4 * H, resolutionMs: 24 * H, businessHours: false },
  P4: { firstResponseMs: 8 * H, resolutionMs: 72 * H, businessHours: false },
};

/** Stored overrides merged over the defaults; unknown or malformed entries are ignored. */
export function mergePolicies(stored: unknown): SlaPolicies {
  const out: SlaPolicies = structuredClone(DEFAULT_POLICIES);
  if (!stored || typeof stored !== 'object') return out;
  for (const priority of Object.keys(out) as Priority[]) {
    const entry = (stored as Record<string, unknown>)[priority];
    if (!entry || typeof entry !== 'object') continue;
    const { firstResponseMs, resolutionMs, businessHours } = entry as Partial<PriorityPolicy>;
    if (typeof firstResponseMs === 'number' && firstResponseMs > 0)
      out[priority].firstResponseMs = firstResponseMs;
    if (typeof resolutionMs === 'number' && resolutionMs > 0) out[priority].resolutionMs = resolutionMs;
    if (typeof businessHours === 'boolean') out[priority].businessHours = businessHours;
  }
  return out;
}

export function targetMs(policy: PriorityPolicy, target: SlaTarget): number {
  return target === 'first_response' ? policy.firstResponseMs : policy.resolutionMs;
}

/** A closed pause `[from, to]`, or an open one (`to` null) that is still running. */
export interface Pause {
  from: Date;
  to: Date | null;
}

/**
 * The instant at which `ms` of counted time (business time when a calendar is given) has passed
 * since `start`, not counting pauses. A pause that begins after that instant does not move it;
 * an open pause that begins before it means the instant is not yet known: null.
 */
export function dueAfter(
  start: Date,
  ms: number,
  pauses: readonly Pause[],
  calendar: BusinessCalendar | null,
): Date | null {
  const sorted = [...pauses].sort((a, b) => a.from.getTime() - b.from.getTime());
  let cursor = start;
  let remaining = ms;
  for (const pause of sorted) {
    const pauseEnd = pause.to;
    if (pauseEnd && pauseEnd <= cursor) continue;
    const candidate = addBusinessTime(cursor, remaining, calendar);
    if (candidate <= pause.from) return candidate;
    if (pause.from > cursor) remaining -= businessTimeBetween(cursor, pause.from, calendar);
    if (!pauseEnd) return null;
    cursor = pauseEnd;
  }
  return addBusinessTime(cursor, remaining, calendar);
}

export interface SlaTicket {
  priority: Priority;
  created_at: Date;
}

export interface DueTimes {
  first_response: Date | null;
  resolution: Date | null;
}

/** Due times of both targets for a ticket under a policy (null while paused before the due). */
export function computeDueTimes(
  ticket: SlaTicket,
  policies: SlaPolicies,
  pauses: readonly Pause[],
  calendar: BusinessCalendar,
): DueTimes {
  const policy = policies[ticket.priority];
  const cal = policy.businessHours ? calendar : null;
  return {
    first_response: dueAfter(ticket.created_at, policy.firstResponseMs, pauses, cal),
    resolution: dueAfter(ticket.created_at, policy.resolutionMs, pauses, cal),
  };
}

/** When the warning (75 %) or the breach (100 %) of a target falls due. */
export function alertTime(
  ticket: SlaTicket,
  target: SlaTarget,
  kind: AlertKind,
  policies: SlaPolicies,
  pauses: readonly Pause[],
  calendar: BusinessCalendar,
): Date | null {
  const policy = policies[ticket.priority];
  const full = targetMs(policy, target);
  const ms = kind === 'breach' ? full : Math.round(full * WARNING_SHARE);
  return dueAfter(ticket.created_at, ms, pauses, policy.businessHours ? calendar : null);
}

/** One step more urgent: P4 → P3 → P2 → P1 (P1 stays). */
export function raisePriority(priority: Priority): Priority {
  return priority === 'P4' ? 'P3' : priority === 'P3' ? 'P2' : 'P1';
}

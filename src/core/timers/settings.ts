/**
 * Everything the timers read from settings, loaded in one query: SLA policies, the business
 * calendar, the escalation ladder and the lifecycle periods. Stored values are overrides over
 * the defaults, so an empty settings table behaves as documented.
 */
import type { DbOrTx } from '../db.ts';
import { type BusinessCalendar, DEFAULT_CALENDAR, validateCalendar } from '../sla/calendar.ts';
import { mergePolicies, type SlaPolicies } from '../sla/sla.policy.ts';

export const SETTING_KEYS = {
  policies: 'sla-policies',
  calendar: 'business-calendar',
  escalation: 'escalation-policy',
  lifecycle: 'lifecycle',
  digestTime: 'digest-time',
  digestTz: 'digest-tz',
  onCall: 'on-call',
} as const;

/** Per-platform escalation channel, stored like the triage channel (a ConversationRef). */
export const escalationChannelKey = (platform: string) => `escalation-channel:${platform}`;

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

export interface EscalationPolicy {
  enabled: boolean;
  /** Delay from reaching level N-1 to level N, for N = 2 and 3 (level 1 is the breach itself). */
  afterMs: { 2: number; 3: number };
}

export const DEFAULT_ESCALATION: EscalationPolicy = { enabled: true, afterMs: { 2: 30 * M, 3: 1 * H } };
export const MAX_LEVEL = 3;

export interface LifecyclePolicy {
  /** Nudge the requester after this long in `pending`. */
  nudgeAfterMs: number;
  /** Resolve automatically this long after the nudge when the requester stays silent. */
  autoResolveAfterMs: number;
  /** Close `resolved` tickets after this long. */
  autoCloseAfterMs: number;
}

export const DEFAULT_LIFECYCLE: LifecyclePolicy = {
  nudgeAfterMs: 1 * D,
  autoResolveAfterMs: 2 * D,
  autoCloseAfterMs: 3 * D,
};

export interface WorkerSettings {
  policies: SlaPolicies;
  calendar: BusinessCalendar;
  escalation: EscalationPolicy;
  lifecycle: LifecyclePolicy;
}

const positive = (value: unknown, fallback: number) =>
  typeof value === 'number' && value > 0 ? value : fallback;

export function mergeEscalation(stored: unknown): EscalationPolicy {
  const s = (stored ?? {}) as { enabled?: unknown; afterMs?: Record<string, unknown> };
  return {
    enabled: typeof s.enabled === 'boolean' ? s.enabled : DEFAULT_ESCALATION.enabled,
    afterMs: {
      2: positive(s.afterMs?.['2'], DEFAULT_ESCALATION.afterMs[2]),
      3: positive(s.afterMs?.['3'], DEFAULT_ESCALATION.afterMs[3]),
    },
  };
}

export function mergeLifecycle(stored: unknown): LifecyclePolicy {
  const s = (stored ?? {}) as Partial<Record<keyof LifecyclePolicy, unknown>>;
  return {
    nudgeAfterMs: positive(s.nudgeAfterMs, DEFAULT_LIFECYCLE.nudgeAfterMs),
    autoResolveAfterMs: positive(s.autoResolveAfterMs, DEFAULT_LIFECYCLE.autoResolveAfterMs),
    autoCloseAfterMs: positive(s.autoCloseAfterMs, DEFAULT_LIFECYCLE.autoCloseAfterMs),
  };
}

export function mergeCalendar(stored: unknown): BusinessCalendar {
  if (!stored || typeof stored !== 'object') return DEFAULT_CALENDAR;
  const candidate = { ...DEFAULT_CALENDAR, ...(stored as Partial<BusinessCalendar>) };
  return validateCalendar(candidate) === null ? candidate : DEFAULT_CALENDAR;
}

export async function loadWorkerSettings(db: DbOrTx): Promise<WorkerSettings> {
  const keys = [
    SETTING_KEYS.policies,
    SETTING_KEYS.calendar,
    SETTING_KEYS.escalation,
    SETTING_KEYS.lifecycle,
  ];
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  return {
    policies: mergePolicies(value(SETTING_KEYS.policies)),
    calendar: mergeCalendar(value(SETTING_KEYS.calendar)),
    escalation: mergeEscalation(value(SETTING_KEYS.escalation)),
    lifecycle: mergeLifecycle(value(SETTING_KEYS.lifecycle)),
  };
}

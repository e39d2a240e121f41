/** Durations as admins type them: `30s`, `15m`, `4h`, `3d`, or a combination such as `1h30m`. */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `30m`, `8h`, `1h30m`, `2d`; returns null for anything else (including zero). */
export function parseDuration(text: string): number | null {
  const clean = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(clean)) return null;
  let total = 0;
  for (const match of clean.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  total = Math.round(total);
  return total > 0 ? total : null;
}

/**
 * Every period an admin sets (SLA targets, escalation steps, pending and close periods) is between
 * 5 seconds and 365 days: a longer one would overflow the timers' dates, a shorter one is a typo.
 */
export const MIN_PERIOD_MS = 5_000;
export const MAX_PERIOD_MS = 365 * 86_400_000;

/** Why a period cannot be used, or undefined when it is within the documented range. */
export function periodProblem(ms: number): string | undefined {
  if (ms < MIN_PERIOD_MS) return `${formatDuration(ms)} is shorter than the shortest period allowed (5s)`;
  if (ms > MAX_PERIOD_MS) return `that is longer than the longest period allowed (365d)`;
  return undefined;
}

/** The shortest exact spelling of a duration: 90 minutes is `1h30m`, 3 days `3d`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.round(ms / 1000) * 1000;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out || '0s';
}

/** Time left as people read it: whole minutes, or seconds under a minute (a 10s target warns "3s"). */
export function timeLeft(ms: number): number {
  if (ms < 60_000) return Math.max(1_000, Math.round(ms / 1_000) * 1_000);
  return Math.round(ms / 60_000) * 60_000;
}

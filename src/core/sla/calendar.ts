/**
 * Business-hours arithmetic: a weekly schedule in an IANA time zone, minus holidays. Pure
 * functions over epoch milliseconds. Zone offsets and local fields come from `@date-fns/tz`
 * (which reads the runtime's tz database through `Intl`, DST included).
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessCalendar {
  /** IANA zone the schedule and holidays are read in, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Working ranges per weekday as `HH:MM-HH:MM` (end may be `24:00`); a missing day is closed. */
  week: Partial<Record<Weekday, string[]>>;
  /** Local dates (`YYYY-MM-DD`) with no working hours. */
  holidays: string[];
}

export const DEFAULT_CALENDAR: BusinessCalendar = {
  timeZone: 'UTC',
  week: {
    mon: ['09:00-17:00'],
    tue: ['09:00-17:00'],
    wed: ['09:00-17:00'],
    thu: ['09:00-17:00'],
    fri: ['09:00-17:00'],
  },
  holidays: [],
};

const DAY_MS = 86_400_000;
/** A calendar with no working minute in this many days is treated as broken, not looped over forever. */
const MAX_DAYS = 3 * 366;

/** True when the runtime knows the zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(epochMs: number, timeZone: string): number {
  return Math.round(tzOffset(timeZone, new Date(epochMs)) * 60_000);
}

/**
 * The instant a local wall-clock time names. In a DST gap the time does not exist and the
 * result lands just after the gap; in an overlap the earlier instant wins.
 */
export function zonedTimeToEpoch(dayUtcMs: number, minuteOfDay: number, timeZone: string): number {
  const wall = dayUtcMs + minuteOfDay * 60_000;
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (first === second) return first;
  // Overlap: both are valid, keep the earlier. Gap: neither maps back to `wall`, keep the later.
  const firstBack = first + offsetAt(first, timeZone) === wall;
  const secondBack = second + offsetAt(second, timeZone) === wall;
  if (firstBack && secondBack) return Math.min(first, second);
  if (firstBack) return first;
  if (secondBack) return second;
  return Math.max(first, second);
}

function parseRange(range: string): [number, number] | null {
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(range.trim());
  if (!match) return null;
  const start = Number(match[1]) * 60 + Number(match[2]);
  const end = Number(match[3]) * 60 + Number(match[4]);
  if (start >= end || end > 24 * 60 || Number(match[2]) > 59 || Number(match[4]) > 59) return null;
  return [start, end];
}

/** Says what is wrong with a calendar, or null when it is usable. */
export function validateCalendar(calendar: BusinessCalendar): string | null {
  if (!isValidTimeZone(calendar.timeZone)) return `unknown time zone ${calendar.timeZone}`;
  let open = false;
  for (const [day, ranges] of Object.entries(calendar.week)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) return `unknown weekday ${day}`;
    for (const range of ranges ?? []) {
      if (!parseRange(range)) return `bad range ${range} (use HH:MM-HH:MM)`;
      open = true;
    }
  }
  if (!open) return 'the schedule has no working hours';
  for (const holiday of calendar.holidays) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(holiday)) return `bad holiday ${holiday} (use YYYY-MM-DD)`;
  }
  return null;
}

function isoDate(dayUtcMs: number): string {
  return new Date(dayUtcMs).toISOString().slice(0, 10);
}

/** Working intervals (epoch ms) of one local day, given as midnight UTC of that calendar date. */
function workingIntervals(dayUtcMs: number, calendar: BusinessCalendar): Array<[number, number]> {
  if (calendar.holidays.includes(isoDate(dayUtcMs))) return [];
  const weekday = WEEKDAYS[new Date(dayUtcMs).getUTCDay()] as Weekday;
  const out: Array<[number, number]> = [];
  for (const range of calendar.week[weekday] ?? []) {
    const parsed = parseRange(range);
    if (!parsed) continue;
    const start = zonedTimeToEpoch(dayUtcMs, parsed[0], calendar.timeZone);
    const end = zonedTimeToEpoch(dayUtcMs, parsed[1], calendar.timeZone);
    if (end > start) out.push([start, end]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Midnight UTC of the local calendar date that contains the instant. */
function localDay(epochMs: number, timeZone: string): number {
  const local = new TZDate(epochMs, timeZone);
  return Date.UTC(local.getFullYear(), local.getMonth(), local.getDate());
}

/** The local calendar date (`YYYY-MM-DD`) and wall-clock time (`HH:MM`) of an instant in a zone. */
export function localDateTime(epochMs: number, timeZone: string): { date: string; time: string } {
  const local = new TZDate(epochMs, timeZone);
  return { date: format(local, 'yyyy-MM-dd'), time: format(local, 'HH:mm') };
}

export interface LocalDay {
  /** The local calendar date, `YYYY-MM-DD`. */
  day: string;
  /** Local midnight starting the day, and the next one (epoch ms): 23 or 25 hours apart on DST days. */
  start: number;
  end: number;
}

/** The last `count` local calendar dates in `timeZone`, oldest first, ending with the one containing `epochMs`. */
export function localDaysEnding(epochMs: number, count: number, timeZone: string): LocalDay[] {
  const today = localDay(epochMs, timeZone);
  const out: LocalDay[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const day = today - i * DAY_MS;
    out.push({
      day: isoDate(day),
      start: zonedTimeToEpoch(day, 0, timeZone),
      end: zonedTimeToEpoch(day + DAY_MS, 0, timeZone),
    });
  }
  return out;
}

/**
 * The instant when `ms` of working time have passed since `start`. With no calendar every
 * millisecond counts. A start outside working hours begins counting at the next opening.
 */
export function addBusinessTime(start: Date, ms: number, calendar: BusinessCalendar | null): Date {
  if (!calendar) return new Date(start.getTime() + ms);
  let cursor = start.getTime();
  let remaining = ms;
  // Start one local day early: a range on the previous local date can still be open (none here,
  // since ranges end by 24:00, but a DST day can shift an interval across midnight).
  let day = localDay(cursor, calendar.timeZone) - DAY_MS;
  for (let i = 0; i < MAX_DAYS; i++, day += DAY_MS) {
    for (const [open, close] of workingIntervals(day, calendar)) {
      if (close <= cursor) continue;
      const from = Math.max(open, cursor);
      if (remaining <= 0) return new Date(from);
      if (from + remaining <= close) return new Date(from + remaining);
      remaining -= close - from;
      cursor = close;
    }
  }
  throw new Error('the business calendar has no working hours in the next three years');
}

/** Working milliseconds between two instants (negative when `b` is before `a`). */
export function businessTimeBetween(a: Date, b: Date, calendar: BusinessCalendar | null): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to < from) return -businessTimeBetween(b, a, calendar);
  if (!calendar) return to - from;
  let total = 0;
  const last = localDay(to, calendar.timeZone) + DAY_MS;
  for (let day = localDay(from, calendar.timeZone) - DAY_MS; day <= last; day += DAY_MS) {
    for (const [open, close] of workingIntervals(day, calendar)) {
      const s = Math.max(open, from);
      const e = Math.min(close, to);
      if (e > s) total += e - s;
    }
  }
  return total;
}

import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  localDateTime,
  localDaysEnding,
  validateCalendar,
  zonedTimeToEpoch,
} from './calendar.ts';

const H = 3_600_000;
const weekdays9to17 = {
  mon: ['09:00-17:00'],
  tue: ['09:00-17:00'],
  wed: ['09:00-17:00'],
  thu: ['09:00-17:00'],
  fri: ['09:00-17:00'],
};
const utc: BusinessCalendar = { timeZone: 'UTC', week: weekdays9to17, holidays: [] };
const berlin: BusinessCalendar = { timeZone: 'Europe/Berlin', week: weekdays9to17, holidays: [] };
const newYork: BusinessCalendar = { timeZone: 'America/New_York', week: weekdays9to17, holidays: [] };

const at = (iso: string) => new Date(iso);

describe('addBusinessTime', () => {
  it('counts every millisecond when there is no calendar', () => {
    expect(addBusinessTime(at('2026-11-28T23:00:00Z'), 2 * H, null)).toEqual(at('2026-11-29T01:00:00Z'));
  });

  it('stays within the day when the target fits before closing', () => {
    expect(addBusinessTime(at('2026-11-26T10:00:00Z'), 4 * H, utc)).toEqual(at('2026-11-26T14:00:00Z'));
  });

  it('carries the rest over the weekend to Monday morning', () => {
    // Friday 2026-11-27 15:00 + 4h of work = 2h on Friday, 2h on Monday 2026-11-30.
    expect(addBusinessTime(at('2026-11-27T15:00:00Z'), 4 * H, utc)).toEqual(at('2026-11-30T11:00:00Z'));
  });

  it('starts counting at the next opening when created on a Saturday night', () => {
    expect(addBusinessTime(at('2026-11-28T22:00:00Z'), 1 * H, utc)).toEqual(at('2026-11-30T10:00:00Z'));
  });

  it('skips holidays', () => {
    const withHoliday = { ...utc, holidays: ['2026-11-30'] };
    expect(addBusinessTime(at('2026-11-27T15:00:00Z'), 4 * H, withHoliday)).toEqual(
      at('2026-12-01T11:00:00Z'),
    );
  });

  it('reads the schedule in the calendar time zone', () => {
    // 09:00 in Berlin in winter (CET, UTC+1) is 08:00 UTC.
    expect(addBusinessTime(at('2026-11-26T07:00:00Z'), 1 * H, berlin)).toEqual(at('2026-11-26T09:00:00Z'));
  });

  it('follows the wall clock across the spring DST change', () => {
    // Berlin moves to CEST (UTC+2) on Sunday 2027-03-28. Friday 16:00 CET (15:00Z) + 2h of work:
    // 1h on Friday, then Monday opens at 09:00 CEST = 07:00Z, so 08:00Z.
    expect(addBusinessTime(at('2027-03-26T15:00:00Z'), 2 * H, berlin)).toEqual(at('2027-03-29T08:00:00Z'));
  });

  it('follows the wall clock across the autumn DST change in New York', () => {
    // New York leaves EDT (UTC-4) on Sunday 2026-11-01. Friday 16:00 EDT = 20:00Z; Monday 09:00 EST = 14:00Z.
    expect(addBusinessTime(at('2026-10-30T20:00:00Z'), 2 * H, newYork)).toEqual(at('2026-11-02T15:00:00Z'));
  });

  it('spans many days for long targets', () => {
    // 72h of 8h days = 9 working days: Monday 09:00 + 9 days = Thursday of the next week, 17:00.
    expect(addBusinessTime(at('2026-11-30T09:00:00Z'), 72 * H, utc)).toEqual(at('2026-12-10T17:00:00Z'));
  });

  it('refuses a calendar that never opens instead of looping forever', () => {
    expect(() => addBusinessTime(at('2026-11-26T10:00:00Z'), H, { ...utc, week: {} })).toThrow(
      /no working hours/,
    );
  });
});

describe('businessTimeBetween', () => {
  it('equals plain elapsed time without a calendar', () => {
    expect(businessTimeBetween(at('2026-11-26T10:00:00Z'), at('2026-11-28T10:00:00Z'), null)).toBe(48 * H);
  });

  it('counts only working hours across a weekend', () => {
    expect(businessTimeBetween(at('2026-11-27T15:00:00Z'), at('2026-11-30T11:00:00Z'), utc)).toBe(4 * H);
  });

  it('is zero inside a closed period and negative when reversed', () => {
    expect(businessTimeBetween(at('2026-11-28T08:00:00Z'), at('2026-11-29T20:00:00Z'), utc)).toBe(0);
    expect(businessTimeBetween(at('2026-11-26T12:00:00Z'), at('2026-11-26T10:00:00Z'), utc)).toBe(-2 * H);
  });

  it('undoes addBusinessTime for starts inside working hours', () => {
    const calendars = [utc, berlin, newYork, { ...utc, holidays: ['2026-12-24', '2026-12-25'] }];
    const starts = [
      '2026-11-26T10:17:00Z',
      '2026-12-23T15:00:00Z',
      '2027-03-26T10:00:00Z',
      '2026-10-30T14:30:00Z',
    ];
    for (const calendar of calendars) {
      for (const start of starts) {
        for (const ms of [H / 4, 4 * H, 24 * H, 72 * H]) {
          const begin = addBusinessTime(at(start), 0, calendar);
          const end = addBusinessTime(begin, ms, calendar);
          expect(businessTimeBetween(begin, end, calendar)).toBe(ms);
        }
      }
    }
  });
});

describe('zonedTimeToEpoch', () => {
  it('maps a time that does not exist in the spring gap to just after it', () => {
    // 02:30 on 2027-03-28 does not exist in Berlin; 03:00 CEST = 01:00Z.
    const result = zonedTimeToEpoch(Date.UTC(2027, 2, 28), 150, 'Europe/Berlin');
    expect(result).toBeGreaterThanOrEqual(Date.parse('2027-03-28T01:00:00Z'));
    expect(result).toBeLessThanOrEqual(Date.parse('2027-03-28T01:30:00Z'));
  });
});

describe('validateCalendar', () => {
  it('accepts a sound calendar and names what is wrong with a bad one', () => {
    expect(validateCalendar(berlin)).toBeNull();
    expect(validateCalendar({ ...utc, timeZone: 'Mars/Olympus' })).toMatch(/time zone/);
    expect(validateCalendar({ ...utc, week: { mon: ['17:00-09:00'] } })).toMatch(/bad range/);
    expect(validateCalendar({ ...utc, week: {} })).toMatch(/no working hours/);
    expect(validateCalendar({ ...utc, holidays: ['25.12.2026'] })).toMatch(/holiday/);
  });
});

describe('local days', () => {
  it('reads the local date and time of an instant in a zone', () => {
    expect(localDateTime(Date.parse('2026-11-25T23:30:00Z'), 'Europe/Berlin')).toEqual({
      date: '2026-11-26',
      time: '00:30',
    });
    expect(localDateTime(Date.parse('2026-11-26T07:59:00Z'), 'America/Los_Angeles')).toEqual({
      date: '2026-11-25',
      time: '23:59',
    });
  });

  it('lists the last local dates ending today, each from its own local midnight', () => {
    const days = localDaysEnding(Date.parse('2026-11-26T08:00:00Z'), 3, 'Europe/Berlin');
    expect(days).toEqual([
      {
        day: '2026-11-24',
        start: Date.parse('2026-11-23T23:00:00Z'),
        end: Date.parse('2026-11-24T23:00:00Z'),
      },
      {
        day: '2026-11-25',
        start: Date.parse('2026-11-24T23:00:00Z'),
        end: Date.parse('2026-11-25T23:00:00Z'),
      },
      {
        day: '2026-11-26',
        start: Date.parse('2026-11-25T23:00:00Z'),
        end: Date.parse('2026-11-26T23:00:00Z'),
      },
    ]);
  });

  it('gives the day the clocks go back 25 hours and the day they go forward 23', () => {
    const autumn = localDaysEnding(Date.parse('2026-10-25T12:00:00Z'), 1, 'Europe/Berlin')[0];
    expect(autumn && (autumn.end - autumn.start) / H).toBe(25);
    const spring = localDaysEnding(Date.parse('2026-03-29T12:00:00Z'), 1, 'Europe/Berlin')[0];
    expect(spring && (spring.end - spring.start) / H).toBe(23);
  });
});

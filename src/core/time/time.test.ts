import { describe, expect, it } from 'vitest';
import { parseWorkMinutes } from './time.ts';

describe('the duration of logged work', () => {
  it('takes whole minutes from the usual spellings', () => {
    expect(parseWorkMinutes('30m')).toBe(30);
    expect(parseWorkMinutes('1h30m')).toBe(90);
    expect(parseWorkMinutes('2h')).toBe(120);
    expect(parseWorkMinutes('1d')).toBe(1440);
    expect(parseWorkMinutes('90s')).toBe(2);
  });

  it('refuses nothing, less than a minute, more than a day and words', () => {
    expect(parseWorkMinutes('0m')).toMatch(/not a duration/);
    expect(parseWorkMinutes('20s')).toBe('Log at least one minute.');
    expect(parseWorkMinutes('24h1m')).toMatch(/more than a day/);
    expect(parseWorkMinutes('900h')).toMatch(/more than a day/);
    // What the agent typed, not a conversion they did not write (`25h`, not `1d1h`).
    expect(parseWorkMinutes('25h')).toMatch(/^`25h` is more than a day/);
    expect(parseWorkMinutes('soon')).toMatch(/not a duration/);
  });
});

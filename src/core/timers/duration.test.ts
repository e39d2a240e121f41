import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, timeLeft } from './duration.ts';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('8h')).toBe(28_800_000);
    expect(parseDuration('3d')).toBe(259_200_000);
  });

  it('adds combined units and ignores case and spaces around', () => {
    expect(parseDuration(' 1H30m ')).toBe(5_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
  });

  it('rejects zero, bare numbers, unknown units and negative values', () => {
    for (const bad of ['0m', '15', '5w', '-5m', '', 'm', '1h 30m']) expect(parseDuration(bad)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('spells durations back in the units they were typed in', () => {
    for (const text of ['10s', '15m', '4h', '3d', '1h30m', '1d2h']) {
      expect(formatDuration(parseDuration(text) ?? 0)).toBe(text);
    }
  });
});

describe('timeLeft', () => {
  it('says seconds under a minute and whole minutes above', () => {
    expect(formatDuration(timeLeft(2_600))).toBe('3s');
    expect(formatDuration(timeLeft(200))).toBe('1s');
    expect(formatDuration(timeLeft(59_400))).toBe('59s');
    expect(formatDuration(timeLeft(15 * 60_000 + 20_000))).toBe('15m');
    expect(formatDuration(timeLeft(2 * 3_600_000 + 29_000))).toBe('2h');
  });
});

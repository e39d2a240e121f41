import { describe, expect, it } from 'vitest';
import { backoffMs } from './socket-mode.ts';

const delays = { first: 1_000, max: 60_000 };

describe('the wait between Socket Mode connection attempts', () => {
  it('doubles from one second and stops growing at a minute', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempt) => backoffMs(attempt, delays, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('spreads each wait by up to a fifth either way, and never past the cap', () => {
    expect(backoffMs(1, delays, () => 0)).toBe(800);
    expect(backoffMs(1, delays, () => 0.999_999)).toBe(1_200);
    expect(backoffMs(7, delays, () => 0)).toBe(48_000);
    expect(backoffMs(7, delays, () => 0.999_999)).toBe(60_000);
  });
});

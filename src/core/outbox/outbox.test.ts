import { describe, expect, it } from 'vitest';
import { laneWaitMs } from './outbox.ts';

describe('waiting for earlier messages of a conversation', () => {
  it('the next in line looks again soon, the rest in proportion to their place, never longer than 30 s', () => {
    expect(laneWaitMs(1)).toBe(300);
    expect(laneWaitMs(10)).toBe(3_000);
    expect(laneWaitMs(100)).toBe(30_000);
    expect(laneWaitMs(5_000)).toBe(30_000);
  });
});

import { describe, expect, it } from 'vitest';
import { createPacer } from './pacer.ts';

function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('per-conversation pacing', () => {
  it('lets seven messages through a conversation at once and holds the eighth until the window moves', async () => {
    const time = fakeTime();
    const pacer = createPacer({ limit: 7, windowMs: 1000, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 7; i++) await pacer.wait('19:triage');
    expect(time.slept).toEqual([]);
    time.advance(200);
    await pacer.wait('19:triage');
    expect(time.slept).toEqual([800]);
  });

  it('paces each conversation on its own', async () => {
    const time = fakeTime();
    const pacer = createPacer({ limit: 2, windowMs: 1000, now: time.now, sleep: time.sleep });
    await pacer.wait('a');
    await pacer.wait('a');
    await pacer.wait('b');
    await pacer.wait('b');
    expect(time.slept).toEqual([]);
    await pacer.wait('a');
    expect(time.slept).toEqual([1000]);
  });
});

import { describe, expect, it } from 'vitest';
import { HelpdeskError } from '../../core/errors.ts';
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
    at: () => now,
  };
}

/** The most sends inside any window of `ms` (ending at a send). */
function busiest(sentAt: number[], ms: number): number {
  return Math.max(...sentAt.map((end) => sentAt.filter((at) => at > end - ms && at <= end).length));
}

describe('per-conversation pacing', () => {
  it('lets seven messages through a conversation at once and holds the eighth until the window moves', async () => {
    const time = fakeTime();
    const pacer = createPacer({ windows: [{ limit: 7, ms: 1000 }], now: time.now, sleep: time.sleep });
    for (let i = 0; i < 7; i++) await pacer.wait('19:triage');
    expect(time.slept).toEqual([]);
    time.advance(200);
    await pacer.wait('19:triage');
    expect(time.slept).toEqual([800]);
  });

  it('paces each conversation on its own', async () => {
    const time = fakeTime();
    const pacer = createPacer({ windows: [{ limit: 2, ms: 1000 }], now: time.now, sleep: time.sleep });
    await pacer.wait('a');
    await pacer.wait('a');
    await pacer.wait('b');
    await pacer.wait('b');
    expect(time.slept).toEqual([]);
    await pacer.wait('a');
    expect(time.slept).toEqual([1000]);
  });

  it("keeps to Teams' 8 messages in 2 seconds even when each second stays under 7", async () => {
    const time = fakeTime();
    const pacer = createPacer({ now: time.now, sleep: time.sleep });
    for (let i = 0; i < 7; i++) await pacer.wait('19:triage');
    time.advance(1000);
    await pacer.wait('19:triage');
    expect(time.slept).toEqual([]);
    // Eight inside the last two seconds: the ninth waits for the first burst to be 2 s old.
    await pacer.wait('19:triage');
    expect(time.slept).toEqual([1000]);
    expect(time.at()).toBe(2000);
  });

  it('holds the 61st message in 30 seconds until the first of them is 30 seconds old', async () => {
    const time = fakeTime();
    const pacer = createPacer({ now: time.now, sleep: time.sleep, maxWaitMs: Number.POSITIVE_INFINITY });
    const sentAt: number[] = [];
    for (let i = 0; i < 61; i++) {
      await pacer.wait('a:dana');
      sentAt.push(time.at());
    }
    // The 1 s and 2 s windows spread the first 60 over 14 seconds; the 61st waits for the 30 s one.
    expect(sentAt[59]).toBe(14_000);
    expect(sentAt[60]).toBe(30_000);
    expect(busiest(sentAt, 1_000)).toBe(7);
    expect(busiest(sentAt, 2_000)).toBe(8);
    expect(busiest(sentAt, 30_000)).toBe(60);
  });

  it('never lets more than 1800 messages into one conversation within an hour', async () => {
    const time = fakeTime();
    const pacer = createPacer({ now: time.now, sleep: time.sleep, maxWaitMs: Number.POSITIVE_INFINITY });
    const sentAt: number[] = [];
    for (let i = 0; i < 1801; i++) {
      await pacer.wait('19:busy');
      sentAt.push(time.at());
    }
    expect(sentAt[1799]).toBeLessThan(3_600_000);
    expect(sentAt[1800]).toBe(3_600_000);
    expect(busiest(sentAt, 3_600_000)).toBe(1800);
    expect(busiest(sentAt, 30_000)).toBeLessThanOrEqual(60);
    // Another conversation is not held back by the busy one.
    const before = time.slept.length;
    await pacer.wait('19:quiet');
    expect(time.slept).toHaveLength(before);
  });

  it('hands a send that would wait longer than maxWaitMs back to the outbox with a Retry-After, uncounted', async () => {
    const time = fakeTime();
    const pacer = createPacer({
      windows: [{ limit: 2, ms: 30_000 }],
      maxWaitMs: 5_000,
      now: time.now,
      sleep: time.sleep,
    });
    await pacer.wait('19:triage');
    time.advance(10_000);
    await pacer.wait('19:triage');
    const deferred = await pacer.wait('19:triage').catch((error: unknown) => error);
    expect(deferred).toBeInstanceOf(HelpdeskError);
    expect(deferred).toMatchObject({ code: 'transient_delivery_failure', retryAfter: 20 });
    expect(time.slept).toEqual([]);
    // Within maxWaitMs of a free slot, the pacer sleeps instead.
    time.advance(16_000);
    await pacer.wait('19:triage');
    expect(time.slept).toEqual([4_000]);
  });
});

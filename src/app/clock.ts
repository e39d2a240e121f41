import type { Clock } from '../core/clock.ts';

/** The wall clock, the one the app gives core outside tests. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Core reads time only through this port (the app supplies the system clock), so timed behaviour is
 * tested with a fixed clock instead of sleeps.
 */
export interface Clock {
  now(): Date;
}

/** A clock that only moves when told to. */
export function fixedClock(
  start: Date | string,
): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(at) {
      current = new Date(at);
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}

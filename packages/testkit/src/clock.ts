/** A clock returning the current time; the fakes can start it at a fixed instant for deterministic stamps. */
export type Clock = () => Date;

/**
 * Real time, or — when `start` (an ISO-8601 string, e.g. from `AGENTMUX_FAKE_CLOCK_START`) is given — time
 * that starts at `start` and advances with the real elapsed time.
 */
export function createClock(start?: string): Clock {
  if (start === undefined || start === '') return () => new Date();
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) {
    throw new RangeError(`AGENTMUX_FAKE_CLOCK_START: "${start}" is not an ISO-8601 time. Fix: use e.g. 2026-01-01T00:00:00.000Z`);
  }
  const origin = performance.now();
  return () => new Date(startMs + Math.round(performance.now() - origin));
}

/** A manual clock for the corpus generator: each call returns the current instant; `advance` moves it. */
export class SteppingClock {
  private ms: number;
  constructor(startMs: number) {
    this.ms = startMs;
  }
  readonly now: Clock = () => new Date(this.ms);
  advance(ms: number): void {
    this.ms += Math.max(0, Math.round(ms));
  }
  get millis(): number {
    return this.ms;
  }
}

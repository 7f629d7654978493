import type { Usage } from './usage.js';

// Usage arithmetic, without zod (the schema lives in usage.ts), so that the lean cost entry stays small.

/** A usage with every field at zero. */
export function emptyUsage(): Usage {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 };
}

/** Adds `b` into `a` in place and returns `a`. */
export function addUsage(a: Usage, b: Usage): Usage {
  a.input += b.input;
  a.output += b.output;
  a.cacheWrite5m += b.cacheWrite5m;
  a.cacheWrite1h += b.cacheWrite1h;
  a.cacheRead += b.cacheRead;
  a.reasoning += b.reasoning;
  a.webSearchRequests += b.webSearchRequests;
  return a;
}

/** Sum of all token columns that are billed (reasoning is inside output and not added again). */
export function totalTokens(u: Usage): number {
  return u.input + u.output + u.cacheWrite5m + u.cacheWrite1h + u.cacheRead;
}

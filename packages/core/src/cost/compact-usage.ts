import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { CompactUsageRecords, UsageScanResult } from '../spec/provider-v1.js';
import type { UsageRecord } from '../spec/transcript.js';

/** Numbers per row of `CompactUsageRecords.numbers`. */
export const COMPACT_NUMBERS = 8;
/** Int32 slots per row of `CompactUsageRecords.refs`. */
export const COMPACT_REFS = 6;

const POLICIES = [undefined, 'max-total', 'last-wins'] as const;

function bad(field: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(`compact.${field}`, problem, 'send what a scanner built with the documented layout (CompactUsageRecords)');
}

/** Checks the shape of compact rows (sizes and string indexes); throws `InvalidArgumentError` naming the field. */
export function checkCompactUsage(c: CompactUsageRecords): void {
  if (!Number.isInteger(c.count) || c.count < 0) throw bad('count', `expected a whole number, got ${String(c.count)}`);
  if (!(c.numbers instanceof Float64Array) || c.numbers.length < c.count * COMPACT_NUMBERS) throw bad('numbers', `expected a Float64Array of ${c.count * COMPACT_NUMBERS} numbers`);
  if (!(c.refs instanceof Int32Array) || c.refs.length < c.count * COMPACT_REFS) throw bad('refs', `expected an Int32Array of ${c.count * COMPACT_REFS} slots`);
  if (typeof c.text !== 'string') throw bad('text', 'expected a string');
  if (!(c.ends instanceof Int32Array)) throw bad('ends', 'expected an Int32Array of string end offsets');
  const n = c.ends.length;
  let prev = 0;
  for (let j = 0; j < n; j += 1) {
    const e = c.ends[j] as number;
    if (e < prev || e > c.text.length) throw bad(`ends[${j}]`, `offset ${e} is not between ${prev} and ${c.text.length}`);
    prev = e;
  }
  for (let i = 0; i < c.count; i += 1) {
    const r = i * COMPACT_REFS;
    if ((c.refs[r] as number) >> 4 > 2) throw bad(`refs[${r}]`, 'unknown dedup policy bits');
    const ts = c.refs[r + 1] as number;
    if (ts < 0 || ts >= n) throw bad(`refs[${r + 1}]`, 'a row needs a timestamp string');
    for (let k = 2; k < COMPACT_REFS; k += 1) {
      const s = c.refs[r + k] as number;
      if (s < -1 || s >= n) throw bad(`refs[${r + k}]`, `string index ${s} is outside the table of ${n}`);
    }
  }
}

/** String `j` of compact rows. */
export function compactString(c: CompactUsageRecords, j: number): string {
  return c.text.slice(j === 0 ? 0 : (c.ends[j - 1] as number), c.ends[j] as number);
}

/**
 * Row `i` of compact rows as a `UsageRecord` (the fields the scanner set, in its order). `string` turns a string
 * number into the string (default `compactString`); a caller decoding many rows can pass one that reuses the
 * strings that repeat (model, cwd, session), which keeps them one object each.
 */
export function compactRow(c: CompactUsageRecords, i: number, string: (j: number) => string = (j) => compactString(c, j)): UsageRecord {
  const n = c.numbers;
  const a = i * COMPACT_NUMBERS;
  const r = i * COMPACT_REFS;
  const refs = c.refs;
  const flags = refs[r] as number;
  const record: UsageRecord = {
    timestamp: string(refs[r + 1] as number),
    sessionId: c.sessionId,
    providerId: c.providerId,
    usage: {
      input: n[a] as number,
      output: n[a + 1] as number,
      cacheWrite5m: n[a + 2] as number,
      cacheWrite1h: n[a + 3] as number,
      cacheRead: n[a + 4] as number,
      reasoning: n[a + 5] as number,
      webSearchRequests: n[a + 6] as number,
    },
  };
  if (flags & 1) record.isSidechain = (flags & 2) !== 0;
  if (flags & 4) record.fast = (flags & 8) !== 0;
  const source = refs[r + 5] as number;
  if (source >= 0) record.sourceSessionId = string(source);
  const model = refs[r + 2] as number;
  if (model >= 0) record.model = string(model);
  const cwd = refs[r + 3] as number;
  if (cwd >= 0) record.cwd = string(cwd);
  const key = refs[r + 4] as number;
  if (key >= 0) record.dedupKey = string(key);
  const policy = POLICIES[(flags >> 4) & 3];
  if (policy !== undefined) record.dedupPolicy = policy;
  const cost = n[a + 7] as number;
  if (!Number.isNaN(cost)) record.costUSD = cost;
  return record;
}

/** A `UsageRecord` whose every field is present (optional ones `undefined` when absent), for `compactRowInto`. */
export type ReusableUsageRecord = { [K in keyof Required<UsageRecord>]: UsageRecord[K] | undefined } & { usage: UsageRecord['usage'] };

/** A record for `compactRowInto` (every field present, so that refilling it never changes its shape). */
export function reusableUsageRecord(): ReusableUsageRecord {
  return {
    timestamp: '', sessionId: '', providerId: '', turnIndex: undefined, isSidechain: undefined, sourceSessionId: undefined,
    model: undefined, cwd: undefined, dedupKey: undefined, dedupPolicy: undefined, costUSD: undefined, fast: undefined,
    usage: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 },
  };
}

/**
 * `compactRow` into an existing record (from `reusableUsageRecord`): for readers that consume a row at once and
 * keep nothing of the object (such as `UsageLedger.addDeduplicated`), so that decoding many rows allocates no
 * objects. Absent fields are set to `undefined`, which every reader of a `UsageRecord` treats as absent.
 */
export function compactRowInto(c: CompactUsageRecords, i: number, into: ReusableUsageRecord, string: (j: number) => string = (j) => compactString(c, j)): UsageRecord {
  const n = c.numbers;
  const a = i * COMPACT_NUMBERS;
  const r = i * COMPACT_REFS;
  const refs = c.refs;
  const flags = refs[r] as number;
  into.timestamp = string(refs[r + 1] as number);
  into.sessionId = c.sessionId;
  into.providerId = c.providerId;
  const u = into.usage;
  u.input = n[a] as number;
  u.output = n[a + 1] as number;
  u.cacheWrite5m = n[a + 2] as number;
  u.cacheWrite1h = n[a + 3] as number;
  u.cacheRead = n[a + 4] as number;
  u.reasoning = n[a + 5] as number;
  u.webSearchRequests = n[a + 6] as number;
  into.isSidechain = flags & 1 ? (flags & 2) !== 0 : undefined;
  into.fast = flags & 4 ? (flags & 8) !== 0 : undefined;
  const source = refs[r + 5] as number;
  into.sourceSessionId = source >= 0 ? string(source) : undefined;
  const model = refs[r + 2] as number;
  into.model = model >= 0 ? string(model) : undefined;
  const cwd = refs[r + 3] as number;
  into.cwd = cwd >= 0 ? string(cwd) : undefined;
  const key = refs[r + 4] as number;
  into.dedupKey = key >= 0 ? string(key) : undefined;
  into.dedupPolicy = POLICIES[(flags >> 4) & 3];
  const cost = n[a + 7] as number;
  into.costUSD = Number.isNaN(cost) ? undefined : cost;
  return into as UsageRecord;
}

/** Turns compact rows back into `UsageRecord`s (checked first: bad rows throw `InvalidArgumentError`). */
export function decodeCompactUsage(c: CompactUsageRecords): UsageRecord[] {
  checkCompactUsage(c);
  const out = new Array<UsageRecord>(c.count);
  for (let i = 0; i < c.count; i += 1) out[i] = compactRow(c, i);
  return out;
}

/** A scan result with `compact` rows turned into `records` (unchanged when it has none). */
export function expandScanResult(result: UsageScanResult): UsageScanResult {
  if (!result.compact) return result;
  const { compact, ...rest } = result;
  return { ...rest, records: [...rest.records, ...decodeCompactUsage(compact)] };
}

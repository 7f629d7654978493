import type { CompactUsageRecords, TranscriptFile, UsageRecord, UsageScanModule, UsageScanResult } from '@agentmux/core';
import { scanClaudeUsage, type ClaudeUsageScanOptions } from './usage-scan.js';

// Layout of CompactUsageRecords (core's spec; core's decodeCompactUsage reads it back).
const NUMBERS = 8;
const REFS = 6;
const POLICY_BITS = { 'max-total': 1 << 4, 'last-wins': 2 << 4 } as const;

const total = (r: UsageRecord): number => r.usage.input + r.usage.output + r.usage.cacheWrite5m + r.usage.cacheWrite1h + r.usage.cacheRead;

/**
 * Drops the records of one file that can never win the ledger's `max-total` election: per dedup key it keeps the
 * best main-chain record and the best sidechain record (larger token total, then earlier timestamp, then first in
 * the file: the ledger's order). Both are kept because the ledger drops a sidechain record while a main-chain
 * record of the same message exists anywhere, which only it can tell across files. Records without a key or with
 * another policy are all kept. The order of the kept records is the file order.
 */
export function keepPossibleWinners(records: readonly UsageRecord[]): UsageRecord[] {
  const main = new Map<string, number>();
  const side = new Map<string, number>();
  let keyed = 0;
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i] as UsageRecord;
    if (r.dedupKey === undefined || (r.dedupPolicy ?? 'max-total') !== 'max-total') continue;
    keyed += 1;
    const best = r.isSidechain === true ? side : main;
    const j = best.get(r.dedupKey);
    if (j === undefined) {
      best.set(r.dedupKey, i);
      continue;
    }
    const b = records[j] as UsageRecord;
    const ta = total(r);
    const tb = total(b);
    if (ta > tb || (ta === tb && r.timestamp < b.timestamp)) best.set(r.dedupKey, i);
  }
  if (main.size + side.size === keyed) return [...records];
  const keep = new Uint8Array(records.length);
  for (const i of main.values()) keep[i] = 1;
  for (const i of side.values()) keep[i] = 1;
  return records.filter((r, i) => keep[i] === 1 || r.dedupKey === undefined || (r.dedupPolicy ?? 'max-total') !== 'max-total');
}

/**
 * Packs records that share one `sessionId` and `providerId` into columns (see `CompactUsageRecords`); `null` when
 * they do not share them (the caller then sends objects).
 */
export function encodeCompactUsage(records: readonly UsageRecord[]): CompactUsageRecords | null {
  const first = records[0];
  const sessionId = first?.sessionId ?? '';
  const providerId = first?.providerId ?? 'claude';
  const numbers = new Float64Array(records.length * NUMBERS);
  const refs = new Int32Array(records.length * REFS);
  const strings: string[] = [];
  const ends = new Int32Array(records.length * 5);
  let length = 0;
  const add = (s: string): number => {
    length += s.length;
    ends[strings.length] = length;
    return strings.push(s) - 1;
  };
  // Timestamps and keys are (nearly) unique: appended as they come. Model, cwd and source repeat: the last one is
  // reused while it stays the same.
  const last: Array<{ value: string | undefined; index: number }> = [{ value: undefined, index: -1 }, { value: undefined, index: -1 }, { value: undefined, index: -1 }];
  const repeated = (slot: number, s: string | undefined): number => {
    if (s === undefined) return -1;
    const l = last[slot] as { value: string | undefined; index: number };
    if (l.value !== s) {
      l.value = s;
      l.index = add(s);
    }
    return l.index;
  };
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i] as UsageRecord;
    if (r.sessionId !== sessionId || r.providerId !== providerId) return null;
    const u = r.usage;
    const a = i * NUMBERS;
    numbers[a] = u.input;
    numbers[a + 1] = u.output;
    numbers[a + 2] = u.cacheWrite5m;
    numbers[a + 3] = u.cacheWrite1h;
    numbers[a + 4] = u.cacheRead;
    numbers[a + 5] = u.reasoning;
    numbers[a + 6] = u.webSearchRequests;
    numbers[a + 7] = r.costUSD ?? Number.NaN;
    let flags = 0;
    if (r.isSidechain !== undefined) flags |= r.isSidechain ? 3 : 1;
    if (r.fast !== undefined) flags |= r.fast ? 12 : 4;
    if (r.dedupPolicy !== undefined) flags |= POLICY_BITS[r.dedupPolicy];
    const o = i * REFS;
    refs[o] = flags;
    refs[o + 1] = add(r.timestamp);
    refs[o + 2] = repeated(0, r.model);
    refs[o + 3] = repeated(1, r.cwd);
    refs[o + 4] = r.dedupKey === undefined ? -1 : add(r.dedupKey);
    refs[o + 5] = repeated(2, r.sourceSessionId);
  }
  return { count: records.length, numbers, refs, text: strings.join(''), ends: ends.slice(0, strings.length), sessionId, providerId };
}

/**
 * `scanClaudeUsage` for one-shot cost reports run on worker threads: the records that can still win the dedup
 * (`keepPossibleWinners`), packed into columns (`compact`, with `records` empty) so that they cross to the main
 * thread as two transferable buffers and a string table instead of objects. Same results once decoded and
 * deduplicated by the ledger.
 */
export async function scanClaudeUsageCompact(file: TranscriptFile, options: ClaudeUsageScanOptions = {}): Promise<UsageScanResult> {
  return compactScanResult(await scanClaudeUsage(file, options));
}

/** A scan result reduced to the records that can still win the dedup, in columns (see `scanClaudeUsageCompact`). */
export function compactScanResult(result: UsageScanResult): UsageScanResult {
  const kept = keepPossibleWinners(result.records);
  const compact = encodeCompactUsage(kept);
  if (compact === null) return { ...result, records: kept };
  return { records: [], retractedKeys: result.retractedKeys, skipped: result.skipped, bytes: result.bytes, nextOffset: result.nextOffset, compact };
}

/** Where worker threads import `scanClaudeUsageCompact` from (see `claudeUsageScanModule`). */
export const claudeUsageScanCompactModule: UsageScanModule = {
  url: /\.[cm]?ts$/.test(import.meta.url) ? import.meta.url : new URL('./usage-scan-compact.js', import.meta.url).href,
  exportName: 'scanClaudeUsageCompact',
};

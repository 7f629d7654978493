import { describe, expect, it } from 'vitest';
import type { CompactUsageRecords, UsageScanResult } from '../spec/provider-v1.js';
import type { UsageRecord } from '../spec/transcript.js';
import { decodeCompactUsage } from './compact-usage.js';
import { OneShotUsageDedup } from './one-shot-dedup.js';
import { UsageLedger } from './usage-ledger.js';

/** A seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Packs records of one session into compact rows (the layout of CompactUsageRecords). */
function pack(records: UsageRecord[]): CompactUsageRecords {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (v: string | undefined): number => {
    if (v === undefined) return -1;
    if (!index.has(v)) index.set(v, strings.push(v) - 1);
    return index.get(v) as number;
  };
  const numbers = new Float64Array(records.length * 8);
  const refs = new Int32Array(records.length * 6);
  records.forEach((r, i) => {
    const u = r.usage;
    numbers.set([u.input, u.output, u.cacheWrite5m, u.cacheWrite1h, u.cacheRead, u.reasoning, u.webSearchRequests, r.costUSD ?? Number.NaN], i * 8);
    const flags = (r.isSidechain === undefined ? 0 : r.isSidechain ? 3 : 1) | (r.dedupPolicy === 'max-total' ? 16 : r.dedupPolicy === 'last-wins' ? 32 : 0);
    refs.set([flags, ref(r.timestamp), ref(r.model), ref(r.cwd), ref(r.dedupKey), ref(r.sourceSessionId)], i * 6);
  });
  let at = 0;
  return { count: records.length, numbers, refs, text: strings.join(''), ends: Int32Array.from(strings.map((s) => (at += s.length))), sessionId: records[0]?.sessionId ?? '', providerId: 'claude' };
}

/** Files of Claude-like records: repeated keys with ties, sidechain replays under the same and other request ids. */
function corpus(seed: number): UsageRecord[][] {
  const next = rng(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const files: UsageRecord[][] = [];
  for (let f = 0; f < 12; f += 1) {
    const session = `s${int(4)}`;
    const side = f % 3 === 2;
    const file: UsageRecord[] = [];
    for (let i = 0; i < 40; i += 1) {
      const msg = `msg_${int(25)}`;
      const key = next() < 0.1 ? undefined : next() < 0.2 ? msg : `${msg}:req_${int(2)}`;
      file.push({
        timestamp: `2026-03-0${1 + int(3)}T10:00:0${int(3)}.000Z`, sessionId: session, providerId: 'claude',
        model: next() < 0.8 ? 'claude-sonnet-4-5' : 'mystery-model', cwd: `/w/${session}`,
        usage: { input: int(3), output: int(4), cacheWrite5m: int(2), cacheWrite1h: 0, cacheRead: int(3), reasoning: 0, webSearchRequests: 0 },
        isSidechain: side || next() < 0.05,
        ...(side ? { sourceSessionId: `agent-${f}` } : {}),
        ...(key === undefined ? {} : { dedupKey: key, dedupPolicy: 'max-total' as const }),
      });
    }
    files.push(file);
  }
  return files;
}

const result = (records: UsageRecord[], compact?: CompactUsageRecords): UsageScanResult => ({ records, retractedKeys: [], skipped: {}, bytes: 0, nextOffset: 0, ...(compact ? { compact } : {}) });
const tokens = (l: UsageLedger) => l.aggregate('session').map((a) => ({ key: a.key, usage: a.usage, records: a.records, models: a.models, usd: a.cost.usd === null ? null : Math.round(a.cost.usd * 1e9) }));

describe('OneShotUsageDedup', () => {
  it.each([1, 2, 3, 4, 5, 6])('counts what a ledger with history counts (seed %i), from compact rows and from records', (seed) => {
    const files = corpus(seed);
    const reference = new UsageLedger({ timeZone: 'UTC' });
    files.forEach((f, i) => reference.add(f, `f${i}`));
    const ledger = new UsageLedger({ timeZone: 'UTC', keepHistory: false, dimensions: ['session'] });
    const dedup = new OneShotUsageDedup(ledger);
    files.forEach((f, i) => dedup.add(i % 2 === 0 ? result([], pack(f)) : result(f), `f${i}`));
    dedup.finish();
    expect(tokens(ledger)).toEqual(tokens(reference));
    expect(ledger.totals().records).toBe(reference.totals().records);
    expect([...ledger.records()]).toEqual([]); // winners are counted, not kept
  });

  it('sends last-wins records and retractions to the ledger as they are', () => {
    const g = (key: string, output: number): UsageRecord => ({ timestamp: '2026-03-01T10:00:00.000Z', sessionId: 'g', providerId: 'gemini', model: 'gemini-2.5-pro', usage: { input: 0, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 }, dedupKey: key, dedupPolicy: 'last-wins' });
    const ledger = new UsageLedger({ timeZone: 'UTC', keepHistory: false });
    const dedup = new OneShotUsageDedup(ledger);
    dedup.add(result([g('a', 5), g('a', 3), g('b', 7)]));
    dedup.add({ ...result([]), retractedKeys: ['b'] });
    dedup.finish();
    expect(ledger.totals().usage.output).toBe(3);
  });

  it('rejects malformed compact rows and refuses adds after finish', () => {
    const dedup = new OneShotUsageDedup(new UsageLedger({ keepHistory: false }));
    const good = pack(corpus(9)[0] as UsageRecord[]);
    expect(decodeCompactUsage(good)).toHaveLength(40);
    expect(() => dedup.add(result([], { ...good, ends: Int32Array.from([3, 1]) }))).toThrow(/compact\.ends/);
    dedup.finish();
    expect(() => dedup.add(result([]))).toThrow(/after finish/);
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { CompactUsageRecords, ProviderV1 } from '../spec/provider-v1.js';
import type { TranscriptFile } from '../spec/transcript.js';
import { checkCompactUsage, compactRow, compactRowInto, decodeCompactUsage, expandScanResult, reusableUsageRecord } from './compact-usage.js';
import { UsageLedger } from './usage-ledger.js';
import { createScanPool } from './scan-pool.js';

const strings = ['2026-01-01T00:00:00.000Z', 'claude-opus-4-5', '/w', 'msg_1:req_1', '2026-01-01T00:00:01.000Z', 'agent-1'];
function rows(): CompactUsageRecords {
  let at = 0;
  return {
    count: 2,
    numbers: Float64Array.from([1, 2, 3, 4, 5, 6, 7, Number.NaN, 10, 20, 0, 0, 0, 0, 1, 0.5]),
    refs: Int32Array.from([1 | (1 << 4), 0, 1, 2, 3, -1, 3 | 12 | (2 << 4), 4, -1, -1, 3, 5]),
    text: strings.join(''),
    ends: Int32Array.from(strings.map((s) => (at += s.length))),
    sessionId: 's1',
    providerId: 'claude',
  };
}

describe('compact usage rows', () => {
  it('decode to the records they describe, with absent fields left out', () => {
    const [a, b] = decodeCompactUsage(rows());
    expect(a).toStrictEqual({
      timestamp: '2026-01-01T00:00:00.000Z', sessionId: 's1', providerId: 'claude',
      usage: { input: 1, output: 2, cacheWrite5m: 3, cacheWrite1h: 4, cacheRead: 5, reasoning: 6, webSearchRequests: 7 },
      isSidechain: false, model: 'claude-opus-4-5', cwd: '/w', dedupKey: 'msg_1:req_1', dedupPolicy: 'max-total',
    });
    expect(b).toStrictEqual({
      timestamp: '2026-01-01T00:00:01.000Z', sessionId: 's1', providerId: 'claude',
      usage: { input: 10, output: 20, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 1 },
      isSidechain: true, fast: true, sourceSessionId: 'agent-1', dedupKey: 'msg_1:req_1', dedupPolicy: 'last-wins', costUSD: 0.5,
    });
  });

  it('refill one reusable record per row: same fields as decoding, absent ones undefined, shape unchanged', () => {
    const c = rows();
    const into = reusableUsageRecord();
    const keys = Object.keys(into).sort();
    for (const i of [0, 1, 0]) {
      const got = compactRowInto(c, i, into);
      expect(got).toBe(into);
      expect(Object.keys(got).sort()).toEqual(keys);
      const defined = Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined));
      expect(defined).toStrictEqual({ ...compactRow(c, i) });
    }
    // A ledger fed reused records counts what it counts from fresh ones.
    const fresh = new UsageLedger({ keepHistory: false });
    fresh.addDeduplicated(decodeCompactUsage(c));
    const reused = new UsageLedger({ keepHistory: false });
    for (const i of [0, 1]) reused.addDeduplicated([compactRowInto(c, i, into)]);
    expect(reused.totals()).toEqual(fresh.totals());
    expect(reused.aggregate('model')).toEqual(fresh.aggregate('model'));
    expect(reused.totals().records).toBe(2);
  });

  it('reject malformed rows with a typed error naming the field', () => {
    const cases: Array<[Partial<CompactUsageRecords>, RegExp]> = [
      [{ count: -1 }, /compact\.count/],
      [{ numbers: new Float64Array(3) }, /compact\.numbers/],
      [{ refs: new Int32Array(2) }, /compact\.refs/],
      [{ ends: Int32Array.from([5, 3]) }, /compact\.ends\[1\]/],
      [{ refs: Int32Array.from([1, 0, 1, 2, 99, -1, 0, 4, -1, -1, -1, -1]) }, /compact\.refs\[4\]/],
      [{ refs: Int32Array.from([1, -1, 1, 2, 3, -1, 0, 4, -1, -1, -1, -1]) }, /compact\.refs\[1\]/],
      [{ refs: Int32Array.from([3 << 4, 0, 1, 2, 3, -1, 0, 4, -1, -1, -1, -1]) }, /compact\.refs\[0\]/],
    ];
    for (const [patch, field] of cases) {
      const error = (() => {
        try {
          checkCompactUsage({ ...rows(), ...patch });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(InvalidArgumentError.isInstance(error), String(field)).toBe(true);
      expect((error as Error).message).toMatch(field);
    }
  });

  it('expand a scan result into records, and leave one without rows unchanged', () => {
    const plain = { records: [], retractedKeys: [], skipped: {}, bytes: 1, nextOffset: 1 };
    expect(expandScanResult(plain)).toBe(plain);
    const expanded = expandScanResult({ ...plain, compact: rows() });
    expect(expanded.compact).toBeUndefined();
    expect(expanded.records.map((r) => r.timestamp)).toEqual([strings[0], strings[4]]);
  });

  it('cross from a worker as transferred buffers; the pool decodes them unless asked to keep them', async () => {
    const url = new URL('./__fixtures__/compact-scan-module.mjs', import.meta.url).href;
    const provider = { id: 'fake', scanUsage: async () => ({ records: [], retractedKeys: [], skipped: {}, bytes: 0, nextOffset: 0 }), usageScanModule: { url, exportName: 'scan' } } as unknown as ProviderV1;
    const file: TranscriptFile = { path: '/data/x.jsonl', providerId: 'fake', sessionId: 'sx', kind: 'main' };
    await using decoded = createScanPool({ workers: 1 });
    const a = await decoded.scan(provider, file);
    expect(a.compact).toBeUndefined();
    expect(a.records.map((r) => [r.sessionId, r.dedupKey, r.usage.output, r.costUSD])).toEqual([['sx', 'msg_1:req_1', 2, undefined], ['sx', undefined, 20, 0.5]]);
    await using raw = createScanPool({ workers: 1, keepCompact: true });
    const b = await raw.scan(provider, file);
    expect(b.records).toEqual([]);
    expect(b.compact?.count).toBe(2);
    expect(b.compact?.numbers).toBeInstanceOf(Float64Array);
    expect(decodeCompactUsage(b.compact as CompactUsageRecords)).toEqual(a.records);
  });
});

// A usage scanner module for scan-pool tests that answers with compact rows (CompactUsageRecords).
export async function scan(file) {
  const numbers = new Float64Array(2 * 8);
  numbers.set([1, 2, 3, 4, 5, 0, 0, Number.NaN, 10, 20, 0, 0, 0, 0, 1, 0.5]);
  const strings = ['2026-01-01T00:00:00.000Z', 'claude-opus-4-5', '/w', 'msg_1:req_1', '2026-01-01T00:00:01.000Z'];
  let at = 0;
  const ends = Int32Array.from(strings.map((s) => (at += s.length)));
  // Row 0: main chain, max-total, keyed; row 1: sidechain, fast, no key, costUSD 0.5.
  const refs = Int32Array.from([1 | (1 << 4), 0, 1, 2, 3, -1, 3 | 12, 4, 1, 2, -1, -1]);
  return {
    records: [],
    retractedKeys: [],
    skipped: { 'invalid-json': 1 },
    bytes: 7,
    nextOffset: 7,
    compact: { count: 2, numbers, refs, text: strings.join(''), ends, sessionId: file.sessionId, providerId: 'fake' },
  };
}

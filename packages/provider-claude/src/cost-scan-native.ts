import {
  compactRow,
  compactRowInto,
  compactString,
  decodeCompactUsage,
  reusableUsageRecord,
  type CompactUsageRecords,
  type ReusableUsageRecord,
  type TranscriptFile,
  type UsageRecord,
} from '@agentmux/core/cost-engine';
import { loadNativeClaudeScan, type NativeColumns, type NativeCostScan } from './usage-scan-native.js';
import { scanClaudeUsageCompact } from './usage-scan-compact.js';
import { SCAN_MAX_LINE_BYTES } from './usage-scan.js';

/** Options of `scanClaudeCostsNative`. */
export interface ClaudeCostScanOptions {
  /** Scan threads (default 2). */
  threads?: number;
  /** Longest line parsed (default: the reader's 16 MiB). */
  maxLineBytes?: number;
  /** Bytes per read (default 1 MiB); memory per thread is about this plus the longest line. */
  chunkBytes?: number;
  /** Called about every 100 ms while files are scanned, and once at the end. */
  onProgress?: (filesDone: number, bytesDone: number) => void;
}

/**
 * What one file gave: skip counts, offsets and which scan read it (`typescript` for a file the native scan handed
 * back, with the reason in `handedBack`), or the error that made it unreadable (a vanished file).
 */
export type ClaudeCostScanFile =
  | { ok: true; skipped: Record<string, number>; bytes: number; nextOffset: number; scanner: 'native' | 'typescript'; handedBack?: string }
  | { ok: false; error: unknown };

/** The outcome of a one-shot native cost scan. */
export interface ClaudeCostScan {
  /** Per input file, in input order. */
  readonly files: readonly ClaudeCostScanFile[];
  /** Records that count, as core's `OneShotUsageDedup` would add them: first those without a dedup key, then the winners. */
  readonly unkeyed: number;
  readonly winners: number;
  /**
   * The records in that order, in batches of at most 128 (for `UsageLedger.addDeduplicated`). Read once: the
   * native memory is freed as the batches are taken. With `reuse`, every batch is the same array of the same record
   * objects, refilled (absent fields `undefined`): nothing is allocated per record, but a batch is only valid until
   * the next one is taken (the ledger keeps nothing of the objects, so it can take them). With `keys: false` the
   * records come without `dedupKey`: they are deduplicated already, and a ledger's `addDeduplicated` does not read it.
   */
  batches(options?: { reuse?: boolean; keys?: boolean }): Generator<UsageRecord[]>;
}

/**
 * Rows per batch handed to JavaScript. Small batches let the records die young (a 4,096-row batch made V8 promote
 * them and grew the heap by ~30 MB over 114k records; 128 keeps it near 10 MB at the same speed).
 */
const BATCH = 128;

/**
 * Records of native columns (core's compact rows, with each row's billing session from `sessions`). With `pool`,
 * the records are that pool's objects refilled (and the pool is the array returned).
 */
function rowsOf(c: NativeColumns, pool?: ReusableUsageRecord[]): UsageRecord[] {
  const compact: CompactUsageRecords = { count: c.count, numbers: c.numbers, refs: c.refs, text: c.text, ends: c.ends, sessionId: '', providerId: 'claude' };
  // Each string once per batch: model, cwd and session repeat from row to row.
  const strings = new Array<string | undefined>(c.ends.length);
  const string = (j: number): string => (strings[j] ??= compactString(compact, j));
  if (pool) {
    while (pool.length < c.count) pool.push(reusableUsageRecord());
    pool.length = c.count;
    for (let i = 0; i < c.count; i += 1) {
      compact.sessionId = string(c.sessions[i] as number);
      compactRowInto(compact, i, pool[i] as ReusableUsageRecord, string);
    }
    return pool as UsageRecord[];
  }
  const out = new Array<UsageRecord>(c.count);
  for (let i = 0; i < c.count; i += 1) {
    compact.sessionId = string(c.sessions[i] as number);
    out[i] = compactRow(compact, i, string);
  }
  return out;
}

/** Puts a TypeScript scan's records of file `i` into the native scan (8 numbers, 2 flag bits and 6 strings per record). */
function handOver(scan: NativeCostScan, i: number, records: readonly UsageRecord[]): void {
  const numbers = new Float64Array(records.length * 8);
  const flags = new Int32Array(records.length);
  const strings: string[] = [];
  records.forEach((r, k) => {
    const u = r.usage;
    numbers.set([u.input, u.output, u.cacheWrite5m, u.cacheWrite1h, u.cacheRead, u.reasoning, u.webSearchRequests, r.costUSD ?? Number.NaN], k * 8);
    flags[k] = (r.isSidechain === true ? 1 : 0) | (r.fast === true ? 2 : 0);
    strings.push(r.timestamp, r.model ?? '', r.cwd ?? '', r.dedupKey ?? '', r.sessionId, r.sourceSessionId ?? '');
  });
  scan.addRows(i, numbers, flags, strings);
}

/**
 * A one-shot cost scan of many Claude transcripts with the native scan (C++ and simdjson, see native/): files are
 * read on `threads` threads, records deduplicated natively with core's `OneShotUsageDedup` rules and order, and
 * only the records that count come back. Files the native scan hands back (a line it is not sure of, a usage line
 * without `cwd`, a subagent file without a known parent) are read by `scanClaudeUsageCompact` and join the same
 * dedup. Resolves to `null` when the addon is not built (use the TypeScript scan then).
 */
export async function scanClaudeCostsNative(files: readonly TranscriptFile[], options: ClaudeCostScanOptions = {}): Promise<ClaudeCostScan | null> {
  const native = loadNativeClaudeScan();
  if (native === null) return null;
  const maxLineBytes = options.maxLineBytes ?? SCAN_MAX_LINE_BYTES;
  const handBack = (f: TranscriptFile): boolean => f.kind === 'subagent' && !f.parentSessionId;
  const scan = new native.CostScan(
    files.map((f) => f.path),
    files.map((f) => (handBack(f) ? -1 : 0)),
    files.map((f) => (f.kind === 'subagent' ? (f.parentSessionId ?? f.sessionId) : f.sessionId)),
    files.map((f) => (f.kind === 'subagent' ? f.sessionId : '')),
    maxLineBytes,
    Math.max(16, Math.floor(options.chunkBytes ?? 1024 * 1024)),
  );
  const report = options.onProgress;
  const timer = report ? setInterval(() => report(...scan.progress()), 100) : undefined;
  try {
    await scan.run(Math.max(1, Math.floor(options.threads ?? 2)));
  } finally {
    if (timer) clearInterval(timer);
  }
  const out: ClaudeCostScanFile[] = [];
  for (let i = 0; i < files.length; i += 1) {
    const info = scan.fileInfo(i);
    if (info.bail === undefined) {
      out.push({ ok: true, skipped: info.skipped, bytes: info.bytes, nextOffset: info.nextOffset, scanner: 'native' });
      continue;
    }
    try {
      const result = await scanClaudeUsageCompact(files[i] as TranscriptFile, { maxLineBytes, native: false, ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}) });
      const records = result.compact ? [...result.records, ...decodeCompactUsage(result.compact)] : result.records;
      handOver(scan, i, records);
      out.push({ ok: true, skipped: result.skipped, bytes: result.bytes, nextOffset: result.nextOffset, scanner: 'typescript', handedBack: info.bail });
    } catch (error) {
      handOver(scan, i, []);
      out.push({ ok: false, error });
    }
  }
  if (report) report(...scan.progress());
  const [unkeyed, winners] = scan.finish();
  let taken = false;
  return {
    files: out,
    unkeyed,
    winners,
    *batches(options = {}) {
      if (taken) throw new Error('ClaudeCostScan.batches() can be read once');
      taken = true;
      const pool: ReusableUsageRecord[] | undefined = options.reuse ? [] : undefined;
      const keys = options.keys ?? true;
      for (let c = scan.next(BATCH, keys); c !== null; c = scan.next(BATCH, keys)) yield rowsOf(c, pool);
    },
  };
}

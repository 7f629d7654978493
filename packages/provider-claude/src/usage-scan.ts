import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { compactRow, type TranscriptFile, type UsageRecord, type UsageScanModule, type UsageScanOptions, type UsageScanResult } from '@agentmux/core/cost-engine';
import { FileScan, NEED_SLOW, loadClaudeScanSlowPath, loadedSlowPath } from './usage-scan-file.js';
import { F, LineSkimmer, LineSpans } from './usage-scan-line.js';
import { loadNativeClaudeScan } from './usage-scan-native.js';
import { readUsageTokens } from './usage-scan-tokens.js';

/** Options of the Claude usage scan. */
export interface ClaudeUsageScanOptions extends UsageScanOptions {
  /** Bytes per read (default 1 MiB); memory stays at about this plus the longest line. */
  chunkBytes?: number;
  /** Longest line parsed (default: the reader's 16 MiB); longer lines are skipped as `too-long`. */
  maxLineBytes?: number;
  /** Use the native scan when it is built (default true; it gives the same records). */
  native?: boolean;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const USAGE = Buffer.from('"usage"');
const ASSISTANT_BYTES = Buffer.from('"assistant"');
/** The reader's default line cap (parser.ts `DEFAULT_MAX_LINE_BYTES`; a test keeps them equal). */
export const SCAN_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** zod's `z.iso.datetime({ offset: true })` pattern, which the reader's schema applies (a test keeps them equal). */
export const CLAUDE_TIMESTAMP_PATTERN =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

export { loadClaudeScanSlowPath };

function str(buf: Buffer, s: number, e: number): string {
  const body = buf.toString('latin1', s + 1, e - 1);
  if (!/[\\\u0080-\u00ff]/.test(body)) return body;
  return JSON.parse(buf.toString('utf8', s, e)) as string;
}

let spare: Buffer | null = null;
/** A read buffer of at least `size` bytes (byteOffset 0), reused across files of this thread. */
function takeBuffer(size: number): Buffer {
  const b = spare !== null && spare.length >= size ? spare : Buffer.allocUnsafeSlow(size);
  spare = null;
  return b;
}
function giveBuffer(b: Buffer): void {
  if (b.length <= 64 * 1024 * 1024) spare = b;
}

/** Scans the lines of one file chunk by chunk. */
class ChunkScanner {
  private readonly skimmer = new LineSkimmer();
  private readonly spans = new LineSpans();
  private nextUsage = -2;
  private u32: Uint32Array = new Uint32Array(0);
  /** True when every complete line of the current buffer is valid UTF-8 (checked once per read). */
  allUtf8 = false;
  private buf: Buffer = Buffer.alloc(0);
  /** Last cwd and model decoded (reused while the bytes repeat them). */
  private lastCwd: string | undefined;
  private lastModel: string | undefined;

  constructor(private readonly scan: FileScan) {}

  /** Call after new bytes were read into `buf` (a buffer whose byteOffset is 0). */
  reset(buf: Buffer): void {
    if (buf !== this.buf) {
      this.buf = buf;
      this.u32 = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
    }
    this.skimmer.resetBuffer(buf);
    this.nextUsage = -2;
  }

  private hasControl(s: number, e: number): boolean {
    const buf = this.buf;
    let i = s;
    const aligned = Math.min((s + 3) & ~3, e);
    for (; i < aligned; i += 1) if ((buf[i] as number) < 0x20) return true;
    const u32 = this.u32;
    const we = e >> 2;
    for (let w = i >> 2; w < we; w += 1) {
      const x = u32[w] as number;
      if (((x - 0x20202020) & ~x & 0x80808080) !== 0) return true;
    }
    for (i = Math.max(i, we << 2); i < e; i += 1) if ((buf[i] as number) < 0x20) return true;
    return false;
  }

  line(s: number, e: number): void {
    const buf = this.buf;
    const scan = this.scan;
    if (!this.allUtf8 && !isUtf8(buf.subarray(s, e))) {
      scan.skip('invalid-utf8');
      return;
    }
    if (this.nextUsage !== -1 && this.nextUsage < s) this.nextUsage = buf.indexOf(USAGE, s);
    if (this.nextUsage === -1 || this.nextUsage >= e) {
      // No usage on this line: only a cheap check that it looks like one JSON object.
      let a = s;
      let b = e;
      if (buf[a] === 0xef && buf[a + 1] === 0xbb && buf[a + 2] === 0xbf) a += 3;
      while (a < b && (buf[a] === 0x20 || buf[a] === 0x09)) a += 1;
      while (b > a && (buf[b - 1] === 0x20 || buf[b - 1] === 0x09 || buf[b - 1] === 0x0d)) b -= 1;
      if (a < b && (buf[a] !== 0x7b || buf[b - 1] !== 0x7d)) scan.skip('invalid-json');
      return;
    }
    const spans = this.spans;
    if (this.hasControl(s, e) || !this.skimmer.skim(buf, s, e, spans)) {
      scan.slowLine(buf.subarray(s, e));
      return;
    }
    const st = spans.start;
    const en = spans.end;
    const ts = st[F.type] as number;
    if (ts < 0) return; // no type: not an assistant line (the reader counts it as missing-type)
    if (!this.isAssistant(ts, en[F.type] as number)) {
      if (buf.subarray(ts, en[F.type]).includes(0x5c)) scan.slowLine(buf.subarray(s, e)); // an escaped "assistant"?
      return;
    }
    const timestamp = this.span(F.timestamp);
    if (st[F.message] as number < 0 || typeof timestamp !== 'string' || !CLAUDE_TIMESTAMP_PATTERN.test(timestamp)) {
      scan.skip('invalid-assistant');
      return;
    }
    let costUSD: number | null | undefined;
    const cs = st[F.costUSD] as number;
    if (cs >= 0 && buf[cs] !== 0x6e) {
      costUSD = Number(buf.toString('latin1', cs, en[F.costUSD]));
      if (!(costUSD >= 0) || !Number.isFinite(costUSD)) {
        scan.slowLine(buf.subarray(s, e));
        return;
      }
    }
    const us = st[F.msgUsage] as number;
    const ue = en[F.msgUsage] as number;
    const tokens = us < 0 ? undefined : readUsageTokens(buf, us, ue);
    const cwd = this.repeated(F.cwd, this.lastCwd);
    if (typeof cwd === 'string') this.lastCwd = cwd;
    const model = this.repeated(F.msgModel, this.lastModel);
    if (typeof model === 'string') this.lastModel = model;
    scan.add({
      timestamp,
      uuid: this.span(F.uuid),
      cwd,
      isSidechain: (st[F.isSidechain] as number) >= 0 && buf[st[F.isSidechain] as number] === 0x74,
      requestId: this.span(F.requestId),
      costUSD,
      id: this.span(F.msgId),
      model,
      usage: tokens ?? (us < 0 ? undefined : (JSON.parse(buf.toString('utf8', us, ue)) as unknown)),
      ...(tokens === undefined ? {} : { normalized: tokens }),
    });
  }

  /** True when the `type` value span is exactly `"assistant"` (compared by bytes). */
  private isAssistant(s: number, e: number): boolean {
    if (e - s !== ASSISTANT_BYTES.length) return false;
    const buf = this.buf;
    for (let k = 0; k < ASSISTANT_BYTES.length; k += 1) if (buf[s + k] !== ASSISTANT_BYTES[k]) return false;
    return true;
  }

  /** A captured value: `undefined` when absent, `null`, or the decoded string. */
  private span(f: number): string | null | undefined {
    const a = this.spans.start[f] as number;
    if (a < 0) return undefined;
    return this.buf[a] === 0x6e ? null : str(this.buf, a, this.spans.end[f] as number);
  }

  /** `span(f)`, reusing `prev` when the value's bytes spell it in plain ASCII (cwd and model repeat on most lines). */
  private repeated(f: number, prev: string | undefined): string | null | undefined {
    const a = this.spans.start[f] as number;
    const b = this.spans.end[f] as number;
    if (prev !== undefined && a >= 0 && b - a === prev.length + 2 && this.buf[a] === 0x22) {
      const buf = this.buf;
      let same = true;
      for (let k = 0; k < prev.length; k += 1) {
        const c = buf[a + 1 + k] as number;
        // Only plain ASCII without escapes decodes to exactly its bytes.
        if (c !== prev.charCodeAt(k) || c === 0x5c || c >= 0x80) {
          same = false;
          break;
        }
      }
      if (same) return prev;
    }
    return this.span(f);
  }
}

/**
 * Usage-only scan of one Claude transcript, synchronous (meant for worker threads). Returns exactly the usage
 * records `openClaudeTranscript(file, fromOffset).read()` gives, without `turnIndex`. Reads fixed-size chunks
 * without decoding the file; only lines that mention `"usage"` are skimmed (see `LineSkimmer`), and a line the
 * skimmer is not sure of is parsed with JSON.parse. A file whose usage lines lack `cwd` is handed to the reader.
 * `skipped` is exact for lines that mention usage; other lines only get a cheap "is it one JSON object" check.
 * Throws an internal marker when a line needs the slow path before `loadClaudeScanSlowPath()` ran (use
 * `scanClaudeUsage`, which handles that), and the `fs` error for a missing file.
 * Returns `null` when the file needs the full reader (a usage line without `cwd`, or a subagent file without a known
 * parent session); `scanClaudeUsage` then uses it.
 * Known difference: the reader also skips a usage line whose `uuid` repeats the uuid of an earlier line that has no
 * usage (Claude Code never writes that); the scan only compares uuids among usage lines.
 */
export function scanClaudeUsageSync(file: TranscriptFile, options: ClaudeUsageScanOptions = {}): UsageScanResult | null {
  const from = options.fromOffset ?? 0;
  const chunkBytes = Math.max(16, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const maxLine = options.maxLineBytes ?? SCAN_MAX_LINE_BYTES;
  // A flat-layout subagent file learns its parent session from its lines: the reader handles those.
  if (file.kind === 'subagent' && !file.parentSessionId) return null;
  if (options.native !== false) {
    const result = nativeScan(file, from, chunkBytes, maxLine);
    if (result) return result;
  }
  const scan = new FileScan(file);
  const lines = new ChunkScanner(scan);
  const fd = openSync(file.path, 'r');
  let bufStart = from;
  let len = 0;
  let discarding = false;
  try {
    const size = fstatSync(fd).size;
    if (size < from) {
      scan.skip('file-truncated');
      return { records: [], retractedKeys: [], skipped: scan.skipped, bytes: 0, nextOffset: from };
    }
    let buf = takeBuffer(chunkBytes);
    for (;;) {
      if (buf.length - len < chunkBytes) {
        const bigger = Buffer.allocUnsafeSlow(Math.max(len + chunkBytes, buf.length * 2));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const n = readSync(fd, buf, len, buf.length - len, bufStart + len);
      if (n === 0) break;
      const total = len + n;
      lines.reset(buf);
      const lastNl = buf.lastIndexOf(10, total - 1);
      lines.allUtf8 = lastNl > 0 && isUtf8(buf.subarray(0, lastNl));
      let s = 0;
      let searchFrom = len; // the carried bytes hold no newline
      for (;;) {
        const nl = buf.indexOf(10, searchFrom);
        if (nl === -1 || nl >= total) break;
        if (discarding) discarding = false;
        else if (nl - s > maxLine) scan.skip('too-long');
        else lines.line(s, nl);
        s = nl + 1;
        searchFrom = s;
      }
      if (discarding || total - s > maxLine) {
        if (!discarding) scan.skip('too-long');
        discarding = true;
        bufStart += total;
        len = 0;
      } else {
        buf.copyWithin(0, s, total);
        bufStart += s;
        len = total - s;
      }
    }
    giveBuffer(buf);
  } finally {
    closeSync(fd);
  }
  if (scan.needsReader) return null;
  const nextOffset = bufStart + (discarding ? len : 0);
  return { records: scan.records, retractedKeys: [], skipped: scan.skipped, bytes: nextOffset - from, nextOffset };
}

/** The native scan of one file (when built), as `scanClaudeUsageSync`'s result; null when it hands the file back. */
function nativeScan(file: TranscriptFile, from: number, chunkBytes: number, maxLine: number): UsageScanResult | null {
  const native = loadNativeClaudeScan();
  if (native === null) return null;
  const billing = file.kind === 'subagent' ? (file.parentSessionId ?? file.sessionId) : file.sessionId;
  const r = native.scanFileSync(file.path, from, maxLine, chunkBytes, billing, file.kind === 'subagent' ? file.sessionId : '');
  if (r.bail !== undefined) return null;
  const compact = { count: r.count, numbers: r.numbers, refs: r.refs, text: r.text, ends: r.ends, sessionId: billing, providerId: 'claude' };
  const records = new Array<UsageRecord>(r.count);
  for (let i = 0; i < r.count; i += 1) records[i] = compactRow(compact, i);
  return { records, retractedKeys: [], skipped: r.skipped, bytes: r.bytes, nextOffset: r.nextOffset };
}

/**
 * `ProviderV1.scanUsage` for Claude: the synchronous scan (blocking reads; run it in a worker for big scans), with
 * the zod-based slow path loaded on first need, or the full reader for the rare file the scan cannot settle alone.
 * A missing file rejects with `NotFoundError`.
 */
export async function scanClaudeUsage(file: TranscriptFile, options: ClaudeUsageScanOptions = {}): Promise<UsageScanResult> {
  for (;;) {
    try {
      const result = scanClaudeUsageSync(file, options);
      if (result) return result;
      await loadClaudeScanSlowPath();
      return await loadedSlowPath().readWithReader(file, options.fromOffset ?? 0, options.maxLineBytes);
    } catch (error) {
      if (error === NEED_SLOW) {
        await loadClaudeScanSlowPath();
        continue;
      }
      if ((error as { code?: unknown }).code === 'ENOENT') {
        await loadClaudeScanSlowPath();
        throw loadedSlowPath().notFound(file.path, error);
      }
      throw error;
    }
  }
}

/** Where worker threads import `scanClaudeUsage` from (this module, or the package bundle that re-exports it). */
export const claudeUsageScanModule: UsageScanModule = {
  // From TypeScript sources this is a .ts URL (callers scan in-process); a build that emits this file as its own
  // entry (dist/usage-scan.js next to the bundle) gives workers a module without zod or core to load.
  url: /\.[cm]?ts$/.test(import.meta.url) ? import.meta.url : new URL('./usage-scan.js', import.meta.url).href,
  exportName: 'scanClaudeUsage',
};

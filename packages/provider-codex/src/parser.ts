import { open, readFile } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import type { TranscriptDelta, TranscriptFile, TranscriptReaderV1 } from '@agentmux/core';
import { RolloutState } from './rollout-state.js';

/** Default cap on one line; longer lines are skipped (`too-long`) without being buffered whole. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/** Decompresses a whole `.jsonl.zst` file; `null` when no zstd support is available. */
export type ZstdDecompressor = (data: Buffer) => Buffer;

/** Node's zstd (Node ≥ 22.15 / 23.8), or `null` (Node 20 has none). */
export function nodeZstdDecompressor(): ZstdDecompressor | null {
  const fn = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
  return typeof fn === 'function' ? (b) => fn(b) : null;
}

/** Options of the Codex transcript reader. */
export interface CodexReaderOptions {
  /** Lines longer than this many bytes are skipped as `too-long`. Default 16 MiB. */
  maxLineBytes?: number;
  /**
   * Decompressor for `.jsonl.zst` rollouts. Default: Node's zstd when present; without one the reader
   * reports the file as skipped with reason `compressed-unsupported`.
   */
  decompressZstd?: ZstdDecompressor | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Incremental reader of one Codex rollout (`TranscriptReaderV1`). Each `read()` parses only the bytes
 * appended since the last read; a last line without `\n` is left for the next read. Hostile lines
 * (invalid JSON or UTF-8, oversize, unknown types, null fields) are counted in `skipped` /
 * `unknownTypes`, never thrown.
 */
export class CodexTranscriptReader implements TranscriptReaderV1 {
  readonly file: TranscriptFile;
  private position: number;
  private readonly state: RolloutState;
  private readonly maxLineBytes: number;
  private readonly compressed: boolean;
  private readonly decompress: ZstdDecompressor | null;
  private reportedCompressed = false;

  constructor(file: TranscriptFile, fromOffset = 0, options: CodexReaderOptions = {}) {
    this.file = file;
    this.position = fromOffset;
    this.state = new RolloutState(file, fromOffset === 0);
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.compressed = file.path.toLowerCase().endsWith('.zst');
    this.decompress = options.decompressZstd === undefined ? nodeZstdDecompressor() : options.decompressZstd;
  }

  get offset(): number {
    return this.position;
  }

  async read(): Promise<TranscriptDelta> {
    const from = this.position;
    if (this.compressed) return this.readCompressed(from);
    let handle;
    try {
      handle = await open(this.file.path, 'r');
    } catch {
      this.state.skip('file-unreadable');
      return this.state.takeDelta(from, from);
    }
    try {
      const { size } = await handle.stat();
      if (size < from) {
        this.state.skip('file-shrank');
        return this.state.takeDelta(from, from);
      }
      const next = await this.scan(size - from, async (buf, pos) => (await handle.read(buf, 0, buf.length, from + pos)).bytesRead);
      this.position = from + next;
      return this.state.takeDelta(from, this.position);
    } finally {
      await handle.close();
    }
  }

  /** `.jsonl.zst`: decompress whole (offsets count decompressed bytes) or report it as unsupported. */
  private async readCompressed(from: number): Promise<TranscriptDelta> {
    if (!this.decompress) {
      if (!this.reportedCompressed) this.state.skip('compressed-unsupported');
      this.reportedCompressed = true;
      return this.state.takeDelta(from, from);
    }
    let data: Buffer;
    try {
      data = this.decompress(await readFile(this.file.path));
    } catch {
      this.state.skip('decompress-failed');
      return this.state.takeDelta(from, from);
    }
    if (data.length < from) return this.state.takeDelta(from, from);
    const next = await this.scan(data.length - from, async (buf, pos) => {
      const n = Math.min(buf.length, data.length - from - pos);
      data.copy(buf, 0, from + pos, from + pos + n);
      return n;
    });
    this.position = from + next;
    return this.state.takeDelta(from, this.position);
  }

  /**
   * Splits `length` bytes (fetched through `fill`) into lines and feeds complete ones to the state.
   * Returns the relative offset just after the last complete line.
   */
  private async scan(length: number, fill: (buf: Buffer, pos: number) => Promise<number>): Promise<number> {
    let pos = 0;
    let lineStart = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let discarding = false;
    const buf = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(1, length)));
    while (pos < length) {
      const want = Math.min(buf.length, length - pos);
      const got = await fill(want === buf.length ? buf : buf.subarray(0, want), pos);
      if (got <= 0) break;
      const chunk = buf.subarray(0, got);
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        if (discarding || pendingBytes + (nl - start) > this.maxLineBytes) {
          this.state.skip('too-long');
        } else {
          const piece = chunk.subarray(start, nl);
          this.line(pending.length === 0 ? piece : Buffer.concat([...pending, piece]));
        }
        pending = [];
        pendingBytes = 0;
        discarding = false;
        start = nl + 1;
        lineStart = pos + start;
      }
      if (start < got && !discarding) {
        pendingBytes += got - start;
        if (pendingBytes > this.maxLineBytes) {
          discarding = true;
          pending = [];
        } else {
          pending.push(Buffer.from(chunk.subarray(start, got)));
        }
      }
      pos += got;
    }
    return lineStart;
  }

  private line(bytes: Buffer): void {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
    let text: string;
    try {
      text = utf8.decode(bytes.subarray(0, end));
    } catch {
      this.state.skip('invalid-utf8');
      return;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.state.skip('invalid-json');
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      this.state.skip('invalid-record');
      return;
    }
    this.state.handle(value as Record<string, unknown>);
  }
}

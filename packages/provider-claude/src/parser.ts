import { open } from 'node:fs/promises';
import { NotFoundError, type TranscriptDelta, type TranscriptFile, type TranscriptReaderV1 } from '@agentmux/core';
import { splitLines, type LineSplitterState } from './line-splitter.js';
import {
  CLAUDE_KNOWN_LINE_TYPES,
  ClaudeAssistantLineSchema,
  ClaudeQueueOperationLineSchema,
  ClaudeSystemLineSchema,
  ClaudeUserLineSchema,
} from './schema.js';
import { ClaudeTranscriptAssembler, type ClaudeCompaction } from './transcript-assembler.js';

/** Default cap on one transcript line: longer lines are skipped (`too-long`) without being buffered. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Default read chunk size. */
export const DEFAULT_READ_CHUNK_BYTES = 1024 * 1024;

/** Options of the Claude transcript reader. */
export interface ClaudeReaderOptions {
  /** Longest line parsed, in bytes (default 16 MiB). */
  maxLineBytes?: number;
  /** Bytes read per `read()` system call (default 1 MiB). */
  readChunkBytes?: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Incremental reader of one Claude Code transcript (main or subagent file). Every `read()` continues at `offset`,
 * reads to the current end of the file and returns what the new complete lines said. Hostile lines (invalid JSON
 * or UTF-8, over-long, unknown types, bad fields) are counted in `skipped` / `unknownTypes`, never thrown. State
 * spanning reads (open turns, tool spans, dedup map, seen uuids) lives in the reader; concurrent `read()` calls
 * run one after another.
 *
 * Opening at a non-zero offset starts with empty state: turn indices then count from that point.
 */
export class ClaudeTranscriptReader implements TranscriptReaderV1 {
  readonly file: TranscriptFile;
  private position: number;
  private readonly assembler: ClaudeTranscriptAssembler;
  private readonly splitter: LineSplitterState = { discarding: false };
  private readonly maxLineBytes: number;
  private readonly chunkBytes: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: TranscriptFile, fromOffset = 0, options: ClaudeReaderOptions = {}) {
    this.file = file;
    this.position = fromOffset;
    this.assembler = new ClaudeTranscriptAssembler(file);
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.chunkBytes = options.readChunkBytes ?? DEFAULT_READ_CHUNK_BYTES;
  }

  /** Offset the next read starts at. */
  get offset(): number {
    return this.position;
  }

  /** Compactions seen so far (`compact_boundary` lines), in file order. */
  get compactions(): readonly ClaudeCompaction[] {
    return this.assembler.compactions;
  }

  /** Reads from `offset` to the current end of the file. Throws `NotFoundError` when the file is gone. */
  read(): Promise<TranscriptDelta> {
    const next = this.queue.then(() => this.readNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async readNow(): Promise<TranscriptDelta> {
    const fromOffset = this.position;
    let handle;
    try {
      handle = await open(this.file.path, 'r');
    } catch (error) {
      throw new NotFoundError('transcript', this.file.path, 'The file was moved or deleted; list transcripts again.', {
        cause: error,
      });
    }
    try {
      const size = (await handle.stat()).size;
      if (size < fromOffset) {
        this.assembler.skip('file-truncated');
        return { fromOffset, nextOffset: fromOffset, ...this.assembler.drain() };
      }
      const { nextOffset } = await splitLines(
        handle,
        fromOffset,
        this.splitter,
        { maxLineBytes: this.maxLineBytes, chunkBytes: this.chunkBytes },
        (line) => this.handleLine(line),
        () => this.assembler.skip('too-long'),
      );
      this.position = nextOffset;
      return { fromOffset, nextOffset, ...this.assembler.drain() };
    } finally {
      await handle.close();
    }
  }

  /** Parses one complete line; `bytes` may be a view into a reused buffer, so it is decoded right away. */
  private handleLine(bytes: Buffer): void {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      this.assembler.skip('invalid-utf8');
      return;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.assembler.skip('invalid-json');
      return;
    }
    this.handleRecord(value);
  }

  private handleRecord(value: unknown): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.assembler.skip('not-an-object');
      return;
    }
    const type = (value as { type?: unknown }).type;
    if (typeof type !== 'string') {
      this.assembler.skip('missing-type');
      return;
    }
    switch (type) {
      case 'user': {
        const parsed = ClaudeUserLineSchema.safeParse(value);
        if (parsed.success) this.assembler.handleUser(parsed.data);
        else this.assembler.skip('invalid-user');
        return;
      }
      case 'assistant': {
        const parsed = ClaudeAssistantLineSchema.safeParse(value);
        if (parsed.success) this.assembler.handleAssistant(parsed.data);
        else this.assembler.skip('invalid-assistant');
        return;
      }
      case 'system': {
        const parsed = ClaudeSystemLineSchema.safeParse(value);
        if (parsed.success) this.assembler.handleSystem(parsed.data);
        else this.assembler.skip('invalid-system');
        return;
      }
      case 'queue-operation': {
        const parsed = ClaudeQueueOperationLineSchema.safeParse(value);
        if (parsed.success) this.assembler.handleQueueOperation(parsed.data);
        else this.assembler.skip('invalid-queue-operation');
        return;
      }
      default:
        if (CLAUDE_KNOWN_LINE_TYPES.includes(type)) this.assembler.handleOther(value as { timestamp?: unknown });
        else {
          this.assembler.skip('unknown-type');
          this.assembler.unknownType(type);
        }
    }
  }
}

/** Opens an incremental reader of a Claude transcript at `fromOffset` (default 0). */
export function openClaudeTranscript(
  file: TranscriptFile,
  fromOffset = 0,
  options: ClaudeReaderOptions = {},
): TranscriptReaderV1 & { readonly compactions: readonly ClaudeCompaction[] } {
  return new ClaudeTranscriptReader(file, fromOffset, options);
}

import { open, readFile, stat } from 'node:fs/promises';
import type { TranscriptDelta, TranscriptFile, TranscriptReaderV1 } from '@agentmux/core';
import { ConversationState, type ConversationContext } from './conversation-state.js';
import { DeltaBuilder } from './delta-builder.js';
import { DEFAULT_MAX_LINE_BYTES, scanLines, type LineScanState } from './line-reader.js';
import { parseMessage, type CompactMessage } from './message-model.js';
import { locateTranscript, resolveProjectRoot } from './paths.js';

/** Reader options (from the provider settings). */
export interface GeminiReaderOptions {
  /** Lines longer than this are skipped as `too-long` without being buffered (default 16 MiB). */
  maxLineBytes?: number;
  /**
   * When opened at `fromOffset > 0`, parse bytes `[0, fromOffset)` once without emitting anything, so that
   * turn numbering, the message map and the already-emitted usage are restored (default true). With false,
   * only new bytes are read: turn indices then start at 0 and re-appended earlier messages look new.
   */
  replayPrefix?: boolean;
  /** Legacy `.json` files larger than this are skipped as `too-long` (default 256 MiB). */
  maxLegacyBytes?: number;
}

interface Metadata {
  sessionId?: string;
  projectHash?: string;
  startTime?: string;
  lastUpdated?: string;
  directories?: string[];
  kind?: 'main' | 'subagent';
}

const EPOCH = new Date(0).toISOString();

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * Incremental reader of one Gemini CLI chat file.
 *
 * JSONL files (`session-*.jsonl`, subagent `*.jsonl`) are read from the byte offset on: only new bytes,
 * complete lines only (a torn last line waits; its start is `nextOffset`). Line 1 is the metadata; a line
 * with a string `id` is a message (the last copy of an id wins, in place); `{"$set": …}` merges metadata and
 * `$set.messages` replaces the message list; `{"$rewindTo": id}` drops that message and all later ones (an
 * unknown id drops all, as the CLI's loader does). Usage of dropped messages is retracted.
 * If the file shrinks below the offset it was replaced: all emitted keys are retracted and it is read again.
 *
 * Legacy `.json` files hold one pretty-printed object that the CLI rewrites in place. They are re-read whole
 * whenever their size or mtime changed since the last read (an unchanged file yields an empty delta); the
 * new message list replaces the old one, usage of messages that disappeared is retracted and changed usage is
 * re-emitted (same `last-wins` keys). `offset` is the size at the last read; `fromOffset` is ignored for them.
 *
 * Hostile input is counted, never thrown: `invalid-utf8`, `invalid-json`, `too-long` (over `maxLineBytes`;
 * when such a line is still torn at the end of a read, the bytes seen are consumed and the rest is dropped on
 * the next read, so a huge line is never buffered or re-scanned), `blank-line`, `not-an-object`, `missing-id`,
 * `invalid-message:<field>`, `invalid-set`, `invalid-rewind`, `unrecognized-record`, `missing-file`; unknown
 * message types and `$`-operations are counted in `unknownTypes` (unknown-type messages still hold their place
 * for `$rewindTo`). Each delta keeps a key out of either `usage` or `retractedKeys` (never both), and at most
 * the 256 freshest signals. Opening at `fromOffset > 0` replays the prefix silently (see `replayPrefix`).
 */
export class GeminiTranscriptReader implements TranscriptReaderV1 {
  readonly file: TranscriptFile;
  private position: number;
  private readonly legacy: boolean;
  private readonly maxLineBytes: number;
  private readonly maxLegacyBytes: number;
  private replayTo: number;
  private readonly scanState: LineScanState = { skippingLongLine: false };
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly state: ConversationState;
  private meta: Metadata = {};
  private keyId: string | undefined;
  private cwdValue: string | undefined;
  /** Lookups done: 1 without the project hash, 2 with it. */
  private cwdTries = 0;
  private fileTime = EPOCH;
  private legacyStamp: { size: number; mtimeMs: number } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: TranscriptFile, fromOffset = 0, options: GeminiReaderOptions = {}) {
    this.file = file;
    this.legacy = file.path.endsWith('.json');
    this.position = this.legacy ? 0 : Math.max(0, Math.floor(fromOffset));
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxLegacyBytes = options.maxLegacyBytes ?? 256 * 1024 * 1024;
    this.replayTo = options.replayPrefix === false ? 0 : this.position;
    const ctx: ConversationContext = {
      keySessionId: () => (this.keyId ??= this.meta.sessionId ?? this.file.sessionId),
      billingSessionId: () => (this.isSubagent() ? (this.file.parentSessionId ?? ctx.keySessionId()) : ctx.keySessionId()),
      sourceSessionId: () => (this.isSubagent() ? ctx.keySessionId() : undefined),
      cwd: () => this.cwdValue ?? this.meta.directories?.[0],
      fallbackTime: () => this.meta.lastUpdated ?? this.meta.startTime ?? this.fileTime,
    };
    this.state = new ConversationState(ctx);
  }

  get offset(): number {
    return this.position;
  }

  /** Reads from `offset` to the current end of file. Overlapping calls are queued, never interleaved. */
  read(): Promise<TranscriptDelta> {
    const run = this.queue.then(() => this.readOnce());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readOnce(): Promise<TranscriptDelta> {
    const d = new DeltaBuilder();
    let fromOffset = this.position;
    let st;
    try {
      st = await stat(this.file.path);
    } catch {
      d.skip('missing-file');
      return this.finish(d, fromOffset);
    }
    this.fileTime = st.mtime.toISOString();
    await this.resolveCwd();
    if (this.legacy) {
      await this.readLegacy(st.size, st.mtimeMs, d);
      return this.finish(d, fromOffset);
    }
    if (st.size < this.position) {
      this.state.reset(d);
      this.scanState.skippingLongLine = false;
      this.replayTo = 0;
      this.position = 0;
      fromOffset = 0;
    }
    if (st.size <= this.position && this.replayTo === 0) return this.finish(d, fromOffset);
    let handle;
    try {
      handle = await open(this.file.path, 'r');
    } catch {
      d.skip('missing-file');
      return this.finish(d, fromOffset);
    }
    try {
      if (this.replayTo > 0) {
        const warmup = new DeltaBuilder();
        const prefixState: LineScanState = { skippingLongLine: false };
        await scanLines(handle, 0, Math.min(this.replayTo, st.size), this.maxLineBytes, prefixState, (ev) => {
          if (ev.kind === 'line') this.handleLine(ev.bytes, warmup);
        });
        this.replayTo = 0;
      }
      this.position = await scanLines(handle, this.position, st.size, this.maxLineBytes, this.scanState, (ev) => {
        if (ev.kind === 'too-long') d.skip('too-long');
        else this.handleLine(ev.bytes, d);
      });
    } finally {
      await handle.close();
    }
    return this.finish(d, fromOffset);
  }

  private isSubagent(): boolean {
    return this.file.kind === 'subagent' || this.meta.kind === 'subagent';
  }

  private async resolveCwd(): Promise<void> {
    if (this.cwdValue !== undefined || this.cwdTries >= 2) return;
    if (this.cwdTries === 1 && this.meta.projectHash === undefined) return;
    this.cwdTries = this.meta.projectHash === undefined ? 1 : 2;
    const where = locateTranscript(this.file.path);
    if (!where) return;
    this.cwdValue = await resolveProjectRoot(where.geminiDir, where.projectId, this.meta.projectHash);
  }

  private async readLegacy(size: number, mtimeMs: number, d: DeltaBuilder): Promise<void> {
    if (this.legacyStamp && this.legacyStamp.size === size && this.legacyStamp.mtimeMs === mtimeMs) return;
    this.legacyStamp = { size, mtimeMs };
    if (size > this.maxLegacyBytes) {
      d.skip('too-long');
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file.path);
    } catch {
      d.skip('missing-file');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(this.decoder.decode(bytes));
    } catch (error) {
      d.skip(error instanceof SyntaxError ? 'invalid-json' : 'invalid-utf8');
      return;
    }
    this.position = size;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      d.skip('not-an-object');
      return;
    }
    const rec = value as Record<string, unknown>;
    this.mergeMetadata(rec);
    const list = Array.isArray(rec['messages']) ? this.parseList(rec['messages'], d) : [];
    this.state.replaceAll(list, d);
  }

  private handleLine(bytes: Buffer, d: DeltaBuilder): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      d.skip('invalid-utf8');
      return;
    }
    if (text.trim().length === 0) {
      d.skip('blank-line');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      d.skip('invalid-json');
      return;
    }
    this.applyRecord(value, d);
  }

  private applyRecord(value: unknown, d: DeltaBuilder): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      d.skip('not-an-object');
      return;
    }
    const rec = value as Record<string, unknown>;
    if ('$rewindTo' in rec) {
      const id = rec['$rewindTo'];
      if (typeof id === 'string') this.state.rewind(id, this.meta.lastUpdated, d);
      else d.skip('invalid-rewind');
    } else if ('id' in rec || ('type' in rec && !('sessionId' in rec))) {
      const parsed = parseMessage(rec);
      if (!parsed.ok) d.skip(parsed.reason);
      else this.upsert(parsed.message, d);
    } else if ('$set' in rec) {
      const set = rec['$set'];
      if (set === null || typeof set !== 'object' || Array.isArray(set)) {
        d.skip('invalid-set');
        return;
      }
      this.mergeMetadata(set as Record<string, unknown>);
      const messages = (set as Record<string, unknown>)['messages'];
      if (Array.isArray(messages)) this.state.replaceAll(this.parseList(messages, d), d);
    } else if (typeof rec['sessionId'] === 'string') {
      this.mergeMetadata(rec);
    } else {
      const op = Object.keys(rec).find((k) => k.startsWith('$'));
      if (op) d.unknown(op);
      else d.skip('unrecognized-record');
    }
  }

  private upsert(m: CompactMessage, d: DeltaBuilder): void {
    if (!m.known) d.unknown(m.type);
    this.state.upsert(m, d);
  }

  private parseList(values: readonly unknown[], d: DeltaBuilder): CompactMessage[] {
    const out: CompactMessage[] = [];
    for (const v of values) {
      if (v === null || typeof v !== 'object') {
        d.skip('not-an-object');
        continue;
      }
      const parsed = parseMessage(v);
      if (!parsed.ok) {
        d.skip(parsed.reason);
        continue;
      }
      if (!parsed.message.known) d.unknown(parsed.message.type);
      out.push(parsed.message);
    }
    return out;
  }

  private mergeMetadata(rec: Record<string, unknown>): void {
    const str = (key: string): string | undefined => {
      const v = rec[key];
      return typeof v === 'string' && v.length > 0 ? v : undefined;
    };
    const sessionId = str('sessionId');
    if (sessionId) this.meta.sessionId = sessionId;
    const hash = str('projectHash');
    if (hash) this.meta.projectHash = hash;
    const startTime = str('startTime');
    if (startTime && !this.meta.startTime) this.meta.startTime = startTime;
    const lastUpdated = str('lastUpdated');
    if (lastUpdated) this.meta.lastUpdated = later(this.meta.lastUpdated, lastUpdated);
    const dirs = rec['directories'];
    if (Array.isArray(dirs) && dirs.every((x) => typeof x === 'string')) this.meta.directories = dirs as string[];
    const kind = rec['kind'];
    if (kind === 'main' || kind === 'subagent') this.meta.kind = kind;
  }

  private finish(d: DeltaBuilder, fromOffset: number): TranscriptDelta {
    const session: TranscriptDelta['session'] = { models: d.models };
    const id = this.meta.sessionId ?? this.file.sessionId;
    if (id) session.id = id;
    const cwd = this.cwdValue ?? this.meta.directories?.[0];
    if (cwd) session.cwd = cwd;
    const startedAt = this.meta.startTime ?? this.state.firstMessageTime;
    if (startedAt) session.startedAt = startedAt;
    const last = later(this.meta.lastUpdated, this.state.lastMessageTime);
    if (last) session.lastActivityAt = last;
    if (this.isSubagent() && this.file.parentSessionId) session.parentSessionId = this.file.parentSessionId;
    return {
      fromOffset,
      nextOffset: this.position,
      session,
      turns: this.state.buildTurns(d),
      usage: [...d.usage.values()],
      retractedKeys: [...d.retracted],
      signals: d.signals,
      skipped: d.skipped,
      unknownTypes: d.unknownTypes,
    };
  }
}

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import {
  ActivityEventSchema,
  ActivityInputSchema,
  ActivityQuerySchema,
  type ActivityEvent,
  type ActivityInput,
  type ActivityLogV1,
  type ActivityQuery,
  type ActivityTailOptions,
} from '../../spec/coordination/activity-log-v1.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { Backoff } from './dir-watcher.js';
import type { FileContext } from './file-context.js';
import type { FileLockService } from './file-locks.js';
import { appendLine, ensureDir, errnoCode } from './fs-utils.js';
import { parseOrThrow } from './validate.js';

/** Internal lock serialising appends (names starting with `agentmux.` are reserved). */
const APPEND_LOCK = 'agentmux.activity-append';

/** Reads complete lines from `offset`; returns the parsed events and the offset after the last full line. */
function readEvents(path: string, offset: number): { events: ActivityEvent[]; end: number; skipped: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { events: [], end: offset, skipped: 0 };
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { events: [], end: size < offset ? 0 : offset, skipped: 0 };
    const buf = Buffer.alloc(size - offset);
    const n = readSync(fd, buf, 0, buf.length, offset);
    const text = buf.subarray(0, n).toString('utf8');
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) return { events: [], end: offset, skipped: 0 };
    const events: ActivityEvent[] = [];
    let skipped = 0;
    for (const line of text.slice(0, lastNewline).split('\n')) {
      if (line.trim() === '') continue;
      try {
        const parsed = ActivityEventSchema.safeParse(JSON.parse(line));
        if (parsed.success) events.push(parsed.data);
        else skipped += 1;
      } catch {
        skipped += 1; // a line torn by a crashed writer
      }
    }
    return { events, end: offset + Buffer.byteLength(text.slice(0, lastNewline + 1)), skipped };
  } finally {
    closeSync(fd);
  }
}

/**
 * Activity log in `activity/log.jsonl` (one JSON event per line). Appends are serialised by a file lock so
 * seqs are gap-free across processes; each append is one O_APPEND write (+ fdatasync unless `fsync: false`).
 * A line torn by a crashed writer is skipped by readers and terminated by the next writer.
 */
export class FileActivityLog implements ActivityLogV1 {
  readonly specificationVersion = 'v1' as const;
  private readonly dir: string;
  private readonly path: string;
  private fd: number | undefined;
  private knownSize = 0;
  private knownSeq = 0;

  constructor(
    private readonly ctx: FileContext,
    private readonly locks: FileLockService,
  ) {
    this.dir = join(ctx.root, 'activity');
    this.path = join(this.dir, 'log.jsonl');
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  async append(event: ActivityInput): Promise<ActivityEvent> {
    this.ctx.assertOpen();
    const input = parseOrThrow(ActivityInputSchema, event, 'event', 'pass { actor, type (noun-verb), payload? }');
    const lock = await this.locks.acquire(APPEND_LOCK, { ttlMs: 10_000, timeoutMs: 30_000, owner: 'activity-append' });
    try {
      if (this.fd === undefined) {
        ensureDir(this.dir);
        this.fd = openSync(this.path, 'a+');
      }
      const size = fstatSync(this.fd).size;
      if (size !== this.knownSize) {
        const from = size > this.knownSize ? this.knownSize : 0;
        const { events, end } = readEvents(this.path, from);
        if (from === 0) this.knownSeq = 0;
        for (const e of events) this.knownSeq = Math.max(this.knownSeq, e.seq);
        if (end < size) {
          // The last line was torn by a crashed writer: terminate it so ours starts on a fresh line.
          appendLine(this.fd, '', false);
        }
      }
      const full: ActivityEvent = {
        seq: this.knownSeq + 1,
        time: new Date().toISOString(),
        actor: input.actor,
        type: input.type,
        payload: input.payload ?? null,
      };
      const line = `${JSON.stringify(full)}\n`;
      appendLine(this.fd, line, this.ctx.fsyncLogs);
      this.knownSeq = full.seq;
      this.knownSize = fstatSync(this.fd).size;
      return full;
    } finally {
      await lock.release();
    }
  }

  async query(query: ActivityQuery = {}): Promise<ActivityEvent[]> {
    this.ctx.assertOpen();
    const q = parseOrThrow(ActivityQuerySchema, query, 'query', 'pass { afterSeq?, since?, until?, actor?, type?, limit? }');
    const since = q.since === undefined ? undefined : parseTime(q.since, 'query.since');
    const until = q.until === undefined ? undefined : parseTime(q.until, 'query.until');
    const out: ActivityEvent[] = [];
    for (const e of readEvents(this.path, 0).events) {
      if (q.afterSeq !== undefined && e.seq <= q.afterSeq) continue;
      const t = Date.parse(e.time);
      if (since !== undefined && t < since) continue;
      if (until !== undefined && t >= until) continue;
      if (q.actor !== undefined && e.actor !== q.actor) continue;
      if (q.type !== undefined && e.type !== q.type) continue;
      out.push(e);
      if (q.limit !== undefined && out.length >= q.limit) break;
    }
    return out;
  }

  async *tail(options: ActivityTailOptions = {}): AsyncIterable<ActivityEvent> {
    this.ctx.assertOpen();
    if (options.last !== undefined && (!Number.isInteger(options.last) || options.last < 0)) {
      throw new InvalidArgumentError('options.last', `${options.last} is not a non-negative integer`, 'pass how many recent events to start with');
    }
    let offset = 0;
    let afterSeq = options.afterSeq ?? 0;
    const first = readEvents(this.path, 0);
    offset = first.end;
    let initial = first.events.filter((e) => e.seq > afterSeq);
    if (options.last !== undefined && options.afterSeq === undefined) initial = initial.slice(Math.max(0, initial.length - options.last));
    for (const e of initial) {
      if (options.signal?.aborted) return;
      afterSeq = e.seq;
      yield e;
    }
    if (!options.follow) return;
    const signal = this.ctx.signal(options.signal);
    const backoff = new Backoff(5, 200);
    while (!signal.aborted) {
      const next = readEvents(this.path, offset);
      offset = next.end;
      const fresh = next.events.filter((e) => e.seq > afterSeq);
      if (fresh.length > 0) backoff.reset();
      for (const e of fresh) {
        if (signal.aborted) return;
        afterSeq = e.seq;
        yield e;
      }
      if (fresh.length === 0) await this.ctx.watchers.nudge(this.dir, (f) => f === 'log.jsonl', backoff.next(), signal);
    }
  }
}

function parseTime(value: string, field: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidArgumentError(field, `"${value}" is not an ISO-8601 time`, 'pass e.g. 2026-01-31T12:00:00Z');
  return t;
}

import {
  ActivityInputSchema,
  ActivityQuerySchema,
  type ActivityEvent,
  type ActivityInput,
  type ActivityLogV1,
  type ActivityQuery,
  type ActivityTailOptions,
  type JsonValue,
} from '@agentmux/core';
import { z } from 'zod';
import { LuaScript, asNumber, type RedisContext } from './redis-context.js';
import { iso, parseOrThrow, parseTime } from './validate.js';

/** KEYS: stream, seq counter. ARGV: actor, type, payload JSON. → {seq, time ms}. Stream id = `<seq>-0`. */
const APPEND = new LuaScript(
  'activity-append',
  `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], seq .. '-0', 't', now, 'a', ARGV[1], 'y', ARGV[2], 'p', ARGV[3])
return { seq, now }`,
);

const BATCH = 500;
/** How long one XREAD BLOCK waits before the follower re-checks its signal (ms). */
const BLOCK_MS = 1_000;
const TailOptionsSchema = z.object({
  follow: z.boolean().optional(),
  afterSeq: z.number().int().min(0).optional(),
  last: z.number().int().min(1).optional(),
});

type StreamEntry = [string, string[]];

/**
 * The activity log on one Redis stream. `append` is a Lua script taking the next seq from an INCR counter
 * and adding the entry with stream id `<seq>-0`, so seqs are gap-free and stream order is seq order;
 * `tail({ follow })` reads the rest with XREAD BLOCK on a dedicated connection.
 */
export class RedisActivityLog implements ActivityLogV1 {
  readonly specificationVersion = 'v1' as const;
  private readonly stream: string;
  private readonly seqKey: string;

  constructor(private readonly ctx: RedisContext) {
    this.stream = ctx.key('activity');
    this.seqKey = ctx.key('activity-seq');
  }

  async append(event: ActivityInput): Promise<ActivityEvent> {
    const input = parseOrThrow(ActivityInputSchema, event, 'event', 'pass { actor, type: "noun-verb", payload? }');
    const payload: JsonValue = input.payload ?? null;
    const reply = (await this.ctx.run(APPEND, [this.stream, this.seqKey], [input.actor, input.type, JSON.stringify(payload)])) as unknown[];
    return { seq: asNumber(reply[0]), time: iso(asNumber(reply[1])), actor: input.actor, type: input.type, payload };
  }

  async query(query: ActivityQuery = {}): Promise<ActivityEvent[]> {
    const q = parseOrThrow(ActivityQuerySchema, query, 'query', 'pass { afterSeq?, since?, until?, actor?, type?, limit? }');
    const since = parseTime(q.since, 'query.since');
    const until = parseTime(q.until, 'query.until');
    const limit = q.limit ?? Infinity;
    const out: ActivityEvent[] = [];
    for await (const batch of this.batches(q.afterSeq ?? 0)) {
      for (const e of batch) {
        const ms = Date.parse(e.time);
        if (until !== undefined && ms >= until) return out;
        if (since !== undefined && ms < since) continue;
        if (q.actor !== undefined && e.actor !== q.actor) continue;
        if (q.type !== undefined && e.type !== q.type) continue;
        out.push(e);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  async *tail(options: ActivityTailOptions = {}): AsyncIterable<ActivityEvent> {
    const { signal, ...rest } = options;
    const opts = parseOrThrow(TailOptionsSchema, rest, 'options', 'pass { follow?, afterSeq?, last?, signal? }');
    let after = opts.afterSeq ?? 0;
    if (opts.last !== undefined) {
      const start = `(${after}-0`;
      const rev = await this.ctx.call('activity-tail', (c) => c.xrevrange(this.stream, '+', start, 'COUNT', opts.last ?? 1));
      const first = rev[rev.length - 1];
      if (first) after = seqOf(first[0]) - 1;
    }
    for await (const batch of this.batches(after)) {
      for (const e of batch) {
        if (signal?.aborted) return;
        yield e;
        after = e.seq;
      }
    }
    if (!opts.follow) return;
    yield* this.follow(after, signal);
  }

  private async *follow(after: number, signal: AbortSignal | undefined): AsyncIterable<ActivityEvent> {
    if (signal?.aborted) return;
    const { connection, release } = await this.ctx.blockingConnection('activity-tail');
    const unhook = this.ctx.onClose(release);
    signal?.addEventListener('abort', release, { once: true });
    try {
      let last = `${after}-0`;
      for (;;) {
        if (signal?.aborted || !this.ctx.isOpen) return;
        let reply: [string, StreamEntry[]][] | null;
        try {
          reply = (await connection.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', this.stream, last)) as [string, StreamEntry[]][] | null;
        } catch (error) {
          if (signal?.aborted) return;
          throw this.ctx.mapError('activity-tail', error);
        }
        for (const [, entries] of reply ?? []) {
          for (const entry of entries) {
            if (signal?.aborted) return;
            last = entry[0];
            yield toEvent(entry);
          }
        }
      }
    } finally {
      signal?.removeEventListener('abort', release);
      unhook();
      release();
    }
  }

  /** Existing events after `afterSeq`, in batches. */
  private async *batches(afterSeq: number): AsyncIterable<ActivityEvent[]> {
    let start = `(${afterSeq}-0`;
    for (;;) {
      const from = start;
      const entries = (await this.ctx.call('activity-read', (c) => c.xrange(this.stream, from, '+', 'COUNT', BATCH))) as StreamEntry[];
      if (entries.length === 0) return;
      yield entries.map(toEvent);
      if (entries.length < BATCH) return;
      start = `(${(entries[entries.length - 1] as StreamEntry)[0]}`;
    }
  }
}

function seqOf(id: string): number {
  return Number(id.split('-')[0]);
}

function toEvent([id, fields]: StreamEntry): ActivityEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
  return {
    seq: seqOf(id),
    time: iso(Number(f.t)),
    actor: f.a ?? '',
    type: f.y ?? '',
    payload: JSON.parse(f.p ?? 'null') as JsonValue,
  };
}

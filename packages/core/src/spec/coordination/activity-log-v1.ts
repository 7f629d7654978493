import { z } from 'zod';
import { JsonValueSchema } from './names.js';

/** One activity event. */
export const ActivityEventSchema = z.object({
  /** Sequence number: 1, 2, 3 … with no gaps, in append order, across processes. */
  seq: z.number().int().min(1),
  /** ISO-8601 time of the append. */
  time: z.string(),
  /** Who did it (agent, worker or `system`). */
  actor: z.string().min(1).max(200),
  /** What happened, noun-verb, e.g. `task-completed`. */
  type: z.string().regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'use lowercase noun-verb like "task-completed"'),
  /** Free JSON details; never secrets. */
  payload: JsonValueSchema,
});
export type ActivityEvent = z.infer<typeof ActivityEventSchema>;

/** What `append` takes. */
export const ActivityInputSchema = ActivityEventSchema.pick({ actor: true, type: true }).extend({
  payload: JsonValueSchema.optional(),
});
export type ActivityInput = z.infer<typeof ActivityInputSchema>;

/** Filters of `query` (all optional, combined with AND). */
export const ActivityQuerySchema = z.object({
  /** Only events with `seq` greater than this. */
  afterSeq: z.number().int().min(0).optional(),
  /** Only events at or after this ISO-8601 time. */
  since: z.string().optional(),
  /** Only events before this ISO-8601 time. */
  until: z.string().optional(),
  actor: z.string().optional(),
  type: z.string().optional(),
  /** At most this many (the earliest matching; 1–100 000). */
  limit: z.number().int().min(1).max(100_000).optional(),
});
export type ActivityQuery = z.infer<typeof ActivityQuerySchema>;

/** Options of `tail`. */
export interface ActivityTailOptions {
  /** Keep waiting for new events after the existing ones (default false). */
  follow?: boolean;
  /** Ends the iteration (no error) when aborted. */
  signal?: AbortSignal;
  /** Start after this seq (default: from the start, or see `last`). */
  afterSeq?: number;
  /** Start with the last `last` existing events. */
  last?: number;
}

/**
 * An append-only, totally ordered log of what agents did, shared across processes.
 * Rules (checked by the conformance suite): seqs are gap-free and unique under concurrent appenders; `tail`
 * yields in seq order and, with `follow`, yields later appends until the signal aborts.
 */
export interface ActivityLogV1 {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /** Appends one event and returns it with its seq and time. */
  append(event: ActivityInput): Promise<ActivityEvent>;
  /** Events in seq order; with `follow`, an endless stream until `signal` aborts. */
  tail(options?: ActivityTailOptions): AsyncIterable<ActivityEvent>;
  /** Matching events in seq order. */
  query(query?: ActivityQuery): Promise<ActivityEvent[]>;
}

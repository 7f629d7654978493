import { z } from 'zod';
import { AgentStateSchema } from './agent-status.js';
import { TurnSchema } from './turn.js';
import { UsageSchema } from './usage.js';

/** One transcript file on disk. */
export const TranscriptFileSchema = z.object({
  /** Absolute path. */
  path: z.string(),
  /** Provider id. */
  providerId: z.string(),
  /** Session id the file belongs to (for a subagent file: the subagent's own id). */
  sessionId: z.string(),
  /** For subagent files: the parent session, whose cost includes this file. */
  parentSessionId: z.string().optional(),
  /** `main`, or `subagent` for a subagent/sidechain file. */
  kind: z.enum(['main', 'subagent']),
  /** True for Codex `archived_sessions/` copies. */
  archived: z.boolean().optional(),
  /** Project key derived from the location (lossy; prefer `cwd` from records). */
  projectKey: z.string().optional(),
  /** Size in bytes when listed. */
  size: z.number().int().nonnegative().optional(),
  /** ISO-8601 mtime when listed. */
  mtime: z.string().optional(),
});
export type TranscriptFile = z.infer<typeof TranscriptFileSchema>;

/**
 * One billable usage record. The cost engine deduplicates by `dedupKey`:
 * `max-total` keeps the record with the larger token total (Claude streaming lines);
 * `last-wins` keeps the latest (Gemini message rewrites). A main-chain record beats a sidechain one.
 */
export const UsageRecordSchema = z.object({
  /** ISO-8601 time of the record. */
  timestamp: z.string(),
  /** Session the usage is billed to (a subagent's parent session). */
  sessionId: z.string(),
  /** Session that produced it (the subagent's own id for subagent files). */
  sourceSessionId: z.string().optional(),
  /** Provider id. */
  providerId: z.string(),
  /** Model as written on disk; absent when the record does not say. */
  model: z.string().optional(),
  /** Working directory the usage happened in. */
  cwd: z.string().optional(),
  /** Normalised tokens. */
  usage: UsageSchema,
  /** Dedup key; absent means never deduplicated. */
  dedupKey: z.string().optional(),
  /** How duplicates of `dedupKey` are resolved. */
  dedupPolicy: z.enum(['max-total', 'last-wins']).optional(),
  /** True for Claude sidechain (subagent) lines. */
  isSidechain: z.boolean().optional(),
  /** Claude `speed: "fast"` multiplies the price by the model's fast factor. */
  fast: z.boolean().optional(),
  /** A cost already written on the record (old Claude `costUSD`), used by the display mode. */
  costUSD: z.number().optional(),
  /** Index of the turn this usage belongs to, when known. */
  turnIndex: z.number().int().nonnegative().optional(),
});
export type UsageRecord = z.infer<typeof UsageRecordSchema>;

/** A status hint read from a transcript record. */
export const TranscriptSignalSchema = z.object({
  /** State the record points to. */
  state: AgentStateSchema,
  /** Rule name, e.g. `claude.transcript.end_turn`. */
  rule: z.string(),
  /** ISO-8601 time of the record. */
  at: z.string(),
  /** Short detail; never secrets. */
  detail: z.string().optional(),
});
export type TranscriptSignal = z.infer<typeof TranscriptSignalSchema>;

/** Why lines were skipped, counted per reason. */
export const SkipCountsSchema = z.record(z.string(), z.number().int().nonnegative());
export type SkipCounts = z.infer<typeof SkipCountsSchema>;

/** What one incremental read of a transcript produced. */
export const TranscriptDeltaSchema = z.object({
  /** Byte offset the read started at. */
  fromOffset: z.number().int().nonnegative(),
  /** Byte offset to resume from (start of a torn last line, if any). */
  nextOffset: z.number().int().nonnegative(),
  /** Session facts learned (cwd, models, times); merged by the caller. */
  session: z.object({
    id: z.string().optional(),
    cwd: z.string().optional(),
    models: z.array(z.string()),
    startedAt: z.string().optional(),
    lastActivityAt: z.string().optional(),
    parentSessionId: z.string().optional(),
  }),
  /** Turns started or updated by this read (the same index may appear again in a later read, updated). */
  turns: z.array(TurnSchema),
  /** Billable usage records, not yet deduplicated. */
  usage: z.array(UsageRecordSchema),
  /** Dedup keys whose earlier records must be dropped (Gemini `$rewindTo`). */
  retractedKeys: z.array(z.string()),
  /** Status hints, in file order; the last is the freshest. */
  signals: z.array(TranscriptSignalSchema),
  /** Lines skipped by reason (`invalid-json`, `unknown-type`, `invalid-utf8`, `too-long`, …). */
  skipped: SkipCountsSchema,
  /** Record types seen but not understood, counted. */
  unknownTypes: SkipCountsSchema,
});
export type TranscriptDelta = z.infer<typeof TranscriptDeltaSchema>;

/**
 * Reads one transcript incrementally. Each `read()` continues where the last stopped and never re-reads
 * consumed bytes; a torn last line is kept for the next read. State that spans reads (Claude turn
 * assembly, Codex previous totals, Gemini message map) lives inside the reader.
 */
export interface TranscriptReaderV1 {
  /** The file being read. */
  readonly file: TranscriptFile;
  /** Offset the next read starts at. */
  readonly offset: number;
  /** Reads from `offset` to the current end of file. */
  read(): Promise<TranscriptDelta>;
}

import { NotFoundError, type TranscriptFile, type UsageScanResult } from '@agentmux/core';
import { ClaudeTranscriptReader } from './parser.js';
import { ClaudeAssistantLineSchema } from './schema.js';
import { normalizeClaudeUsage, type NormalizedClaudeUsage } from './usage-normalize.js';

/** The values of one assistant line that a usage record is built from (after schema validation). */
export interface LineFacts {
  timestamp: string;
  uuid: string | null | undefined;
  cwd: string | null | undefined;
  isSidechain: boolean;
  requestId: string | null | undefined;
  costUSD: number | null | undefined;
  id: string | null | undefined;
  model: string | null | undefined;
  usage: unknown;
  /** The usage already normalised (the scan's byte-level reading of an ordinary usage object). */
  normalized?: NormalizedClaudeUsage;
}

/**
 * The parts of the usage scan that need zod and core (the reader's own schema and code). Loaded lazily, so that a
 * scan worker starts without them and only pays for them when a file has a line the fast path cannot settle.
 */
export interface ClaudeScanSlowPath {
  /** The reader's schema check of a parsed `assistant` line; `null` when it fails (`invalid-assistant`). */
  assistantFacts(value: unknown): LineFacts | null;
  /** The reader's usage normalisation. */
  normalizeUsage(raw: unknown): NormalizedClaudeUsage | null;
  /** Reads the file with the full reader (records without `turnIndex`). */
  readWithReader(file: TranscriptFile, fromOffset: number, maxLineBytes: number | undefined): Promise<UsageScanResult>;
  /** The typed error for a missing file. */
  notFound(path: string, cause: unknown): Error;
}

export const slowPath: ClaudeScanSlowPath = {
  assistantFacts(value) {
    const parsed = ClaudeAssistantLineSchema.safeParse(value);
    if (!parsed.success) return null;
    const l = parsed.data;
    return {
      timestamp: l.timestamp,
      uuid: l.uuid,
      cwd: l.cwd,
      isSidechain: l.isSidechain === true,
      requestId: l.requestId,
      costUSD: l.costUSD,
      id: l.message.id,
      model: l.message.model,
      usage: l.message.usage,
    };
  },
  normalizeUsage: normalizeClaudeUsage,
  async readWithReader(file, fromOffset, maxLineBytes) {
    const delta = await new ClaudeTranscriptReader(file, fromOffset, { maxLineBytes }).read();
    const records = delta.usage.map((r) => {
      const { turnIndex: _turn, ...rest } = r;
      return rest;
    });
    return { records, retractedKeys: delta.retractedKeys, skipped: delta.skipped, bytes: delta.nextOffset - delta.fromOffset, nextOffset: delta.nextOffset };
  },
  notFound(path, cause) {
    return new NotFoundError('transcript', path, 'The file was moved or deleted; list transcripts again.', { cause });
  },
};

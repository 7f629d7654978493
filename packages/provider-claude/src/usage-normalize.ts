import type { Usage } from '@agentmux/core';
import { ClaudeUsageSchema } from './schema.js';

/** A Claude `message.usage` in the core model. */
export interface NormalizedClaudeUsage {
  /** Tokens in the core model: `input` excludes cache reads and writes; reasoning is not reported (0). */
  usage: Usage;
  /** True when `usage.speed === "fast"`. */
  fast: boolean;
  /** Billed token total (input + output + cache writes + cache reads), used for max-total dedup. */
  total: number;
}

/**
 * Normalises a raw `message.usage`. Cache writes are split into 5m/1h from `cache_creation` when present;
 * otherwise all of `cache_creation_input_tokens` counts as 5-minute writes. Returns `null` when the usage is not
 * an object with numeric `input_tokens` / `output_tokens` (the caller counts it as `invalid-usage`).
 */
export function normalizeClaudeUsage(raw: unknown): NormalizedClaudeUsage | null {
  const parsed = ClaudeUsageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const u = parsed.data;
  const creation = u.cache_creation_input_tokens ?? 0;
  let cacheWrite5m = creation;
  let cacheWrite1h = 0;
  const split = u.cache_creation;
  if (split && (split.ephemeral_5m_input_tokens != null || split.ephemeral_1h_input_tokens != null)) {
    cacheWrite5m = split.ephemeral_5m_input_tokens ?? 0;
    cacheWrite1h = split.ephemeral_1h_input_tokens ?? 0;
    // An older line may report the total without a consistent split: keep the larger total, as 5m writes.
    const rest = creation - cacheWrite5m - cacheWrite1h;
    if (rest > 0) cacheWrite5m += rest;
  }
  const usage: Usage = {
    input: u.input_tokens,
    output: u.output_tokens,
    cacheWrite5m,
    cacheWrite1h,
    cacheRead: u.cache_read_input_tokens ?? 0,
    reasoning: 0,
    webSearchRequests: u.server_tool_use?.web_search_requests ?? 0,
  };
  const total = usage.input + usage.output + usage.cacheWrite5m + usage.cacheWrite1h + usage.cacheRead;
  return { usage, fast: u.speed === 'fast', total };
}

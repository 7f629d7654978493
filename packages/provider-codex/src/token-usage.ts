import type { Usage } from '@agentmux/core';
import type { CodexTokenInfo, CodexTokenUsage } from './schema.js';

/** Raw Codex token columns, all numbers (missing = 0). */
export interface RawTokens {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
  total: number;
}

/** Why a `token_count` event produced no usage. */
export type TokenSkipReason = 'token-count-no-info' | 'token-count-zero' | 'token-count-duplicate' | 'token-count-unchanged-total' | 'token-count-replay';

/** Outcome of one `token_count` event. */
export type TokenCountResult = { usage: Usage; raw: RawTokens } | { skip: TokenSkipReason };

const num = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

/** Reads a Codex usage block into numbers; `null` when the block is absent. */
export function rawTokens(u: CodexTokenUsage | null | undefined): RawTokens | null {
  if (!u) return null;
  return {
    input: num(u.input_tokens),
    cached: num(u.cached_input_tokens),
    output: num(u.output_tokens),
    reasoning: num(u.reasoning_output_tokens),
    total: num(u.total_tokens),
  };
}

/**
 * Normalises Codex tokens into the core `Usage`: `input` excludes cached input
 * (`input − min(cached, input)`), `cacheRead = min(cached, input)`, `output` already holds reasoning.
 */
export function normalizeCodexUsage(raw: RawTokens): Usage {
  const cached = Math.min(raw.cached, raw.input);
  return {
    input: raw.input - cached,
    output: raw.output,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: cached,
    reasoning: raw.reasoning,
    webSearchRequests: 0,
  };
}

const sameTokens = (a: RawTokens, b: RawTokens): boolean =>
  a.input === b.input && a.cached === b.cached && a.output === b.output && a.reasoning === b.reasoning && a.total === b.total;

const isZero = (r: RawTokens): boolean => r.input === 0 && r.cached === 0 && r.output === 0 && r.reasoning === 0;

function minus(a: RawTokens, b: RawTokens | null): RawTokens {
  if (!b) return { ...a };
  const d = (x: number, y: number) => Math.max(0, x - y);
  return { input: d(a.input, b.input), cached: d(a.cached, b.cached), output: d(a.output, b.output), reasoning: d(a.reasoning, b.reasoning), total: d(a.total, b.total) };
}

/**
 * Turns a rollout's `token_count` events into per-response usage (formats.md rules):
 * `last_token_usage` when present, else `total − previous total` (never below 0); `info: null` and
 * all-zero deltas are skipped; an event identical to the previous one (same timestamp, model and
 * counts) is dropped. Beyond formats.md: an event whose cumulative total equals the previous total is a
 * re-emit (Codex repeats token_count on rate-limit refreshes with a new timestamp) and is dropped too.
 * Replayed events (see `replay`) are skipped but still advance the previous total.
 * State persists across incremental reads.
 */
export class CodexTokenTracker {
  private previousTotal: RawTokens | null = null;
  private previousKey: string | null = null;

  /**
   * Processes one event.
   * @param replay true when the caller decided this event replays a parent's history.
   */
  accept(info: CodexTokenInfo | null | undefined, timestamp: string, model: string | undefined, replay: boolean): TokenCountResult {
    if (!info) return { skip: 'token-count-no-info' };
    const total = rawTokens(info.total_token_usage);
    const last = rawTokens(info.last_token_usage);
    if (!total && !last) return { skip: 'token-count-no-info' };
    const key = JSON.stringify([timestamp, model ?? null, total, last]);
    if (key === this.previousKey) return { skip: 'token-count-duplicate' };
    this.previousKey = key;
    // Codex re-emits token_count on rate-limit and UI refreshes with the cumulative total unchanged (and a
    // fresh timestamp): its last_token_usage is the previous response's again. Counting it would double it.
    const unchanged = total !== null && this.previousTotal !== null && sameTokens(total, this.previousTotal);
    const delta = last ?? minus(total as RawTokens, this.previousTotal);
    if (total) this.previousTotal = total;
    if (unchanged && !replay) return { skip: 'token-count-unchanged-total' };
    if (replay) return { skip: 'token-count-replay' };
    if (isZero(delta)) return { skip: 'token-count-zero' };
    return { usage: normalizeCodexUsage(delta), raw: delta };
  }
}

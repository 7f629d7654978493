import { defaultPriceTable, selectPrices, type ModelPrice, type PriceTable } from '@agentmux/core';

/**
 * Model-name prefixes the Claude CLI and its routes write: bare `claude-…` (direct API, usually with a date suffix
 * such as `claude-sonnet-4-5-20250929`), `anthropic/claude-…` (LiteLLM / gateway style) and Bedrock's
 * `anthropic.claude-…` / `us.anthropic.claude-…`.
 */
export const CLAUDE_MODEL_PREFIXES: readonly string[] = ['claude-', 'anthropic/claude-', 'anthropic.claude-'];
/** Provider prefixes that may precede the bare model name on disk. */
export const CLAUDE_PROVIDER_PREFIXES: readonly string[] = ['anthropic/', 'anthropic.', 'bedrock/', 'vertex_ai/'];
/** The date suffix Anthropic model ids carry, e.g. `-20250929`. */
export const CLAUDE_MODEL_DATE_SUFFIX = /-20\d{6}$/;
/** Claude Code's 1M-context marker on model names (`claude-sonnet-4-5[1m]`): not part of the priced name. */
export const CLAUDE_CONTEXT_SUFFIX = /\[1m\]$/i;

/** True for a model name this provider writes (any of the prefixes above, also behind a region prefix). */
export function isClaudeModel(name: string): boolean {
  const lower = name.toLowerCase().replace(/^(?:us|eu|apac|global|jp|au)\./, '');
  return CLAUDE_MODEL_PREFIXES.some((p) => lower.startsWith(p)) || (lower.startsWith('bedrock/') && lower.includes('claude-'));
}

/**
 * Names to try, in order, when looking a Claude model up in a price table: as written, without the 1M-context
 * marker, without provider/region prefixes, then without the date suffix. Duplicates removed.
 */
export function claudeModelCandidates(model: string): string[] {
  const out: string[] = [model];
  let name = model.trim().replace(CLAUDE_CONTEXT_SUFFIX, '');
  out.push(name);
  for (const prefix of CLAUDE_PROVIDER_PREFIXES) if (name.startsWith(prefix)) name = name.slice(prefix.length);
  name = name.replace(/^(?:us|eu|apac|global|jp|au)\./, '').replace(/^anthropic\./, '').replace(/-v\d+(?::\d+)?$/, '');
  out.push(name);
  out.push(name.replace(CLAUDE_MODEL_DATE_SUFFIX, ''));
  return [...new Set(out)];
}

/** Selects the Claude models of a table: Anthropic's entries and any name with a Claude prefix. */
export function isClaudePriceEntry(name: string, price: ModelPrice): boolean {
  return price.litellm_provider === 'anthropic' || isClaudeModel(name);
}

/** The Claude subset of core's bundled price table (one table lives in core; this is a view of it). */
export const claudePrices: PriceTable = selectPrices(defaultPriceTable, isClaudePriceEntry);

import { z } from 'zod';

const perToken = z.number().nonnegative().optional();

/**
 * One model's prices, in LiteLLM's `model_prices_and_context_window.json` field names (USD per token).
 */
export const ModelPriceSchema = z.object({
  /** Price of one uncached input token. */
  input_cost_per_token: perToken,
  /** Price of one output token. */
  output_cost_per_token: perToken,
  /** Price of one 5-minute cache-write token. */
  cache_creation_input_token_cost: perToken,
  /** Price of one 1-hour cache-write token (absent: 2x the input price). */
  cache_creation_input_token_cost_above_1hr: perToken,
  /** Price of one cache-read token (absent: the input price). */
  cache_read_input_token_cost: perToken,
  /** Input price above 200k tokens. */
  input_cost_per_token_above_200k_tokens: perToken,
  /** Output price above 200k tokens. */
  output_cost_per_token_above_200k_tokens: perToken,
  /** 5-minute cache-write price above 200k tokens. */
  cache_creation_input_token_cost_above_200k_tokens: perToken,
  /** Cache-read price above 200k tokens. */
  cache_read_input_token_cost_above_200k_tokens: perToken,
  /** LiteLLM's provider name, e.g. `anthropic`. */
  litellm_provider: z.string().optional(),
  /** Provider-specific extras; `fast` is the fast-mode multiplier. */
  provider_specific_entry: z.object({ fast: z.number().positive().optional() }).loose().optional(),
}).loose();
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** A price table: model name to prices, with the date the prices were taken. */
export const PriceTableSchema = z.object({
  /** ISO date the table was captured, e.g. `2026-11-01`. */
  asOf: z.string(),
  /** Where the prices came from. */
  source: z.string(),
  /** Model name (as LiteLLM spells it) to prices. */
  models: z.record(z.string(), ModelPriceSchema),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

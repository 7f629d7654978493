import { defaultPriceTable, selectPrices, type ModelPrice, type PriceTable } from '@agentmux/core';

/**
 * Model-name prefixes Codex may write in `turn_context.model` (or that appear when it runs through a
 * routing provider): the cost engine strips them before looking a model up.
 */
export const CODEX_MODEL_PREFIXES = ['openai/', 'azure/', 'openrouter/openai/'] as const;

/** Model families Codex runs (OpenAI GPT/o-series and codex models). */
const CODEX_MODEL = /^(?:openai\/)?(?:gpt-|o\d|codex-)/i;

/** True for a price-table entry that belongs to a model Codex uses. */
export function isCodexPricedModel(name: string, price: ModelPrice): boolean {
  return price.litellm_provider === 'openai' || CODEX_MODEL.test(name);
}

/**
 * Codex's prices: the OpenAI subset of the one bundled table in `@agentmux/core`
 * (`selectPrices(defaultPriceTable, …)`). Never a private table.
 */
export const codexPrices: PriceTable = selectPrices(defaultPriceTable, isCodexPricedModel);

/** Strips a known routing prefix from a model name as written on disk (`openai/gpt-5` → `gpt-5`). */
export function stripCodexModelPrefix(model: string): string {
  for (const prefix of CODEX_MODEL_PREFIXES) {
    if (model.toLowerCase().startsWith(prefix)) return model.slice(prefix.length);
  }
  return model;
}

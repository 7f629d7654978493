import { defaultPriceTable, selectPrices, type ModelPrice, type PriceTable } from '@agentmux/core';

/**
 * Prefixes Gemini model names carry on disk or in price tables (`models/gemini-2.5-pro` from the API,
 * `gemini/…` and `vertex_ai/…` in LiteLLM, `google/…` in routers). Price resolution strips or adds them.
 */
export const GEMINI_MODEL_PREFIXES: readonly string[] = ['gemini/', 'models/', 'google/', 'vertex_ai/'];

/** LiteLLM provider names of Gemini models. */
const GEMINI_LITELLM_PROVIDERS = new Set(['gemini', 'vertex_ai-language-models', 'vertex_ai']);

/** Strips the known prefixes: `models/gemini-2.5-pro` → `gemini-2.5-pro`. */
export function stripGeminiModelPrefix(model: string): string {
  let name = model.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const prefix of GEMINI_MODEL_PREFIXES) {
      if (name.toLowerCase().startsWith(prefix)) {
        name = name.slice(prefix.length);
        changed = true;
      }
    }
  }
  return name;
}

/** True for a price-table entry that is a Gemini model (by name or LiteLLM provider). */
export function isGeminiPriceEntry(name: string, price: ModelPrice): boolean {
  return stripGeminiModelPrefix(name).toLowerCase().startsWith('gemini-') || GEMINI_LITELLM_PROVIDERS.has(price.litellm_provider ?? '');
}

/** The Gemini subset of core's bundled price table (one table lives in core; this is a view of it). */
export const geminiPrices: PriceTable = selectPrices(defaultPriceTable, isGeminiPriceEntry);

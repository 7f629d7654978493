import type { ModelPrice, PriceTable } from '../spec/model-price.js';
import defaultPricesJson from './default-prices.json' with { type: 'json' };

/**
 * The bundled price table: every model of the shared price reference, under the names LiteLLM uses
 * (with dated aliases such as `claude-sonnet-4-5-20250929`), in LiteLLM's per-token field names.
 * Update `default-prices.json` (and `asOf`) when prices change; a test checks it against `PriceTableSchema` (it is
 * not parsed at load time, so that the cost engine loads without zod).
 */
export const defaultPriceTable: PriceTable = Object.freeze(defaultPricesJson as PriceTable);

/** A table holding only the models for which `predicate(name, price)` is true (e.g. one provider's models). */
export function selectPrices(table: PriceTable, predicate: (name: string, price: ModelPrice) => boolean): PriceTable {
  const models: Record<string, ModelPrice> = {};
  for (const [name, price] of Object.entries(table.models)) {
    if (predicate(name, price)) models[name] = price;
  }
  return { asOf: table.asOf, source: table.source, models };
}

/**
 * `override` on top of `base`: a model in both takes the override's fields over the base's (field by field);
 * `asOf` and `source` come from the override.
 */
export function mergePriceTables(base: PriceTable, override: PriceTable): PriceTable {
  const models: Record<string, ModelPrice> = { ...base.models };
  for (const [name, price] of Object.entries(override.models)) {
    const prev = models[name];
    models[name] = prev ? { ...prev, ...price } : price;
  }
  return { asOf: override.asOf, source: override.source, models };
}

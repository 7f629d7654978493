import { z } from 'zod';

/**
 * A cost in US dollars. `usd` is `null` when any part could not be priced; the reason says why and
 * `unpricedModels` lists the models that had no price. Never a silent zero.
 */
export const CostSchema = z.object({
  /** Total in USD, or `null` when unknown. */
  usd: z.number().nonnegative().nullable(),
  /** USD for the parts that could be priced (equals `usd` when nothing is unpriced). */
  pricedUsd: z.number().nonnegative(),
  /** Why `usd` is null, e.g. `unknown model "foo-1"`. */
  reason: z.string().optional(),
  /** Models seen without a price. */
  unpricedModels: z.array(z.string()),
});
export type Cost = z.infer<typeof CostSchema>;

/** A cost of exactly zero (nothing used). */
export function zeroCost(): Cost {
  return { usd: 0, pricedUsd: 0, unpricedModels: [] };
}

/** Adds two costs: unknown stays unknown, unpriced models are merged. */
export function addCost(a: Cost, b: Cost): Cost {
  const unpriced = [...new Set([...a.unpricedModels, ...b.unpricedModels])].sort();
  const pricedUsd = a.pricedUsd + b.pricedUsd;
  const known = a.usd !== null && b.usd !== null;
  return {
    usd: known ? pricedUsd : null,
    pricedUsd,
    ...(known ? {} : { reason: a.reason ?? b.reason ?? 'some usage could not be priced' }),
    unpricedModels: unpriced,
  };
}

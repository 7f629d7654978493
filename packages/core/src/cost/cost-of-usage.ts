import type { Cost } from '../spec/cost.js';
import type { ModelPrice, PriceTable } from '../spec/model-price.js';
import type { UsageRecord } from '../spec/transcript.js';
import type { Usage } from '../spec/usage.js';
import { resolveModelPrice } from './resolve-model-price.js';

/**
 * How the 200k-token tier is applied.
 * - `per-bucket` (what ccusage does): each token bucket separately,
 *   `tokens > 200000 ? 200000 × base + (tokens − 200000) × above : tokens × base`.
 * - `per-request` (the providers' own rule): the whole request at the above-200k rates once its input side
 *   (input + cache writes + cache reads) passes 200k.
 */
export type TierMode = 'per-bucket' | 'per-request';

/**
 * Where a record's cost comes from.
 * - `calculate` (default): always from tokens × prices.
 * - `display`: only the `costUSD` written on the record; a record without one is unknown (never 0).
 * - `auto`: `costUSD` when present, else calculated.
 */
export type CostMode = 'calculate' | 'display' | 'auto';

/** Options of `costOfUsage`. */
export interface CostOfUsageOptions {
  /** 200k tier rule; default `per-bucket`. */
  tier?: TierMode;
  /** Claude `speed: "fast"`: multiply by `provider_specific_entry.fast` (1 when the table has no factor). */
  fast?: boolean;
}

/** Options of `costOfRecord`. */
export interface CostOfRecordOptions {
  /** 200k tier rule; default `per-bucket`. */
  tier?: TierMode;
  /** Cost source; default `calculate`. */
  mode?: CostMode;
}

const TIER = 200_000;

function unknown(reason: string, models: string[] = []): Cost {
  return { usd: null, pricedUsd: 0, reason, unpricedModels: models };
}

/** Per-token rates of one price entry, below and above the 200k tier (derived once per entry: entries are not mutated). */
interface Rates {
  input: number;
  output: number;
  w5: number;
  w1: number;
  read: number;
  inputAbove: number;
  outputAbove: number;
  w5Above: number;
  w1Above: number;
  readAbove: number;
}

const ratesCache = new WeakMap<ModelPrice, Rates>();

function ratesOf(price: ModelPrice): Rates {
  const cached = ratesCache.get(price);
  if (cached) return cached;
  const inp = price.input_cost_per_token ?? 0;
  const out = price.output_cost_per_token ?? 0;
  const w5 = price.cache_creation_input_token_cost ?? inp * 1.25;
  const w1 = price.cache_creation_input_token_cost_above_1hr ?? inp * 2;
  const rd = price.cache_read_input_token_cost ?? inp;
  const inAbove = price.input_cost_per_token_above_200k_tokens;
  const w1AboveRaw = (price as Record<string, unknown>)['cache_creation_input_token_cost_above_1hr_above_200k_tokens'];
  const rates: Rates = {
    input: inp,
    output: out,
    w5,
    w1,
    read: rd,
    inputAbove: inAbove ?? inp,
    outputAbove: price.output_cost_per_token_above_200k_tokens ?? out,
    w5Above: price.cache_creation_input_token_cost_above_200k_tokens ?? w5,
    w1Above: typeof w1AboveRaw === 'number' ? w1AboveRaw : inAbove !== undefined ? inAbove * 2 : w1,
    readAbove: price.cache_read_input_token_cost_above_200k_tokens ?? rd,
  };
  ratesCache.set(price, rates);
  return rates;
}

/** Cost of `tokens` in one bucket: up to the tier at `base`, the rest at `high`. */
function bucket(tokens: number, base: number, high: number): number {
  return tokens > TIER ? TIER * base + (tokens - TIER) * high : tokens * base;
}

/**
 * Cost of one usage at one model's prices. Buckets: input, output, 5-minute cache writes
 * (`cache_creation_input_token_cost`, else 1.25× input, Anthropic's ratio), 1-hour cache writes
 * (`cache_creation_input_token_cost_above_1hr`, else 2× input), cache reads (`cache_read_input_token_cost`, else
 * the input price). Above-200k prices apply per `tier`; a bucket without an above-200k price keeps its base price
 * (1-hour writes above 200k: `cache_creation_input_token_cost_above_1hr_above_200k_tokens`, else 2× the above-200k
 * input price). Reasoning is inside output and never billed twice; web search requests are not priced.
 * A usage with tokens in a bucket whose price cannot be derived (no input or no output price) is unknown.
 */
export function costOfUsage(usage: Usage, price: ModelPrice, options: CostOfUsageOptions = {}): Cost {
  return priceUsage(usage, price, options.tier ?? 'per-bucket', options.fast === true);
}

/** `costOfUsage` with its options as arguments (no options object per record on the ledger's path). */
function priceUsage(usage: Usage, price: ModelPrice, tier: TierMode, fast: boolean): Cost {
  const inBase = price.input_cost_per_token;
  const outBase = price.output_cost_per_token;
  if (
    inBase === undefined &&
    (usage.input > 0 ||
      (usage.cacheRead > 0 && price.cache_read_input_token_cost === undefined) ||
      (usage.cacheWrite5m > 0 && price.cache_creation_input_token_cost === undefined) ||
      (usage.cacheWrite1h > 0 && price.cache_creation_input_token_cost_above_1hr === undefined))
  ) {
    return unknown('the price table has no input_cost_per_token for this model');
  }
  if (outBase === undefined && usage.output > 0) return unknown('the price table has no output_cost_per_token for this model');
  const r = ratesOf(price);
  let usd: number;
  if (tier === 'per-request') {
    const inputSide = usage.input + usage.cacheWrite5m + usage.cacheWrite1h + usage.cacheRead;
    const high = inputSide > TIER;
    usd =
      usage.input * (high ? r.inputAbove : r.input) +
      usage.output * (high ? r.outputAbove : r.output) +
      usage.cacheWrite5m * (high ? r.w5Above : r.w5) +
      usage.cacheWrite1h * (high ? r.w1Above : r.w1) +
      usage.cacheRead * (high ? r.readAbove : r.read);
  } else {
    usd =
      bucket(usage.input, r.input, r.inputAbove) +
      bucket(usage.output, r.output, r.outputAbove) +
      bucket(usage.cacheWrite5m, r.w5, r.w5Above) +
      bucket(usage.cacheWrite1h, r.w1, r.w1Above) +
      bucket(usage.cacheRead, r.read, r.readAbove);
  }
  if (fast) usd *= price.provider_specific_entry?.fast ?? 1;
  return { usd, pricedUsd: usd, unpricedModels: [] };
}

/**
 * Cost of one usage record: resolves its model in `table` (see `resolveModelPrice`) and prices its usage, or uses
 * the record's `costUSD` per `mode`. An unknown model, or a record without a model, gives `usd: null` with a reason
 * (and the model in `unpricedModels`); never a silent zero.
 */
export function costOfRecord(record: UsageRecord, table: PriceTable, options: CostOfRecordOptions = {}): Cost {
  const mode = options.mode ?? 'calculate';
  if (mode !== 'calculate' && record.costUSD !== undefined && Number.isFinite(record.costUSD) && record.costUSD >= 0) {
    return { usd: record.costUSD, pricedUsd: record.costUSD, unpricedModels: [] };
  }
  if (mode === 'display') return unknown('display mode: the record has no costUSD', record.model ? [record.model] : ['(no model)']);
  if (record.model === undefined || record.model === '') {
    return unknown('the usage record names no model', ['(no model)']);
  }
  const resolved = resolveModelPrice(table, record.model);
  if (!resolved) return unknown(`unknown model "${record.model}"`, [record.model]);
  const cost = priceUsage(record.usage, resolved.price, options.tier ?? 'per-bucket', record.fast === true);
  if (cost.usd === null) return { ...cost, reason: `${cost.reason ?? 'unpriced'} ("${resolved.name}")`, unpricedModels: [record.model] };
  return cost;
}

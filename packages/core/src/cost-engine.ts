// Entry `@agentmux/core/cost-engine`: the cost engine for one-shot reports (ledger, dedup, pricing, compact rows,
// scan pool) without zod, execa or the live index, so that a command such as `agentmux costs` starts in a few
// milliseconds. Everything here is also exported by `@agentmux/core`; `loadPriceTable` (which validates a file with
// zod) and `createCostIndex` are only there.
export {
  checkCompactUsage,
  compactRow,
  compactRowInto,
  compactString,
  COMPACT_NUMBERS,
  COMPACT_REFS,
  decodeCompactUsage,
  expandScanResult,
  reusableUsageRecord,
  type ReusableUsageRecord,
} from './cost/compact-usage.js';
export { AggregateAccumulator, createDayKey, type AggregateBy, type CostAggregate } from './cost/cost-aggregate.js';
export { costOfRecord, costOfUsage, type CostMode, type CostOfRecordOptions, type CostOfUsageOptions, type TierMode } from './cost/cost-of-usage.js';
export { OneShotUsageDedup } from './cost/one-shot-dedup.js';
export { defaultPriceTable, mergePriceTables, selectPrices } from './cost/price-table.js';
export { resolveModelPrice, type PriceMatch, type ResolvedPrice } from './cost/resolve-model-price.js';
export { createScanPool, isWorkerImportable, type ScanPool, type ScanPoolOptions } from './cost/scan-pool.js';
export { UsageLedger, type LedgerChange, type UsageLedgerOptions } from './cost/usage-ledger.js';
export type { Cost } from './spec/cost.js';
export type { ModelPrice, PriceTable } from './spec/model-price.js';
export type { CompactUsageRecords, ProviderV1, UsageScanModule, UsageScanOptions, UsageScanResult } from './spec/provider-v1.js';
export type { TranscriptFile, UsageRecord } from './spec/transcript.js';
export type { Usage } from './spec/usage.js';
export { addUsage, emptyUsage, totalTokens } from './spec/usage-math.js';

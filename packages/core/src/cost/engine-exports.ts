// The cost engine's lean exports (no zod, execa or the live index): re-exported by `@agentmux/core/cost-engine`
// (../cost-engine.ts) and, with the rest, by ./index.ts.
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
} from './compact-usage.js';
export { AggregateAccumulator, createDayKey, type AggregateBy, type CostAggregate } from './cost-aggregate.js';
export { costOfRecord, costOfUsage, type CostMode, type CostOfRecordOptions, type CostOfUsageOptions, type TierMode } from './cost-of-usage.js';
export { OneShotUsageDedup } from './one-shot-dedup.js';
export { defaultPriceTable, mergePriceTables, selectPrices } from './price-table.js';
export { resolveModelPrice, type PriceMatch, type ResolvedPrice } from './resolve-model-price.js';
export { createScanPool, isWorkerImportable, type ScanPool, type ScanPoolOptions } from './scan-pool.js';
export { UsageLedger, type LedgerChange, type UsageLedgerOptions } from './usage-ledger.js';

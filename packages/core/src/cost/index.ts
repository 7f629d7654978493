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
export {
  createCostIndex,
  type CostIndex,
  type CostIndexEvents,
  type CostIndexOptions,
  type CostSnapshot,
  type CostUpdatedEvent,
} from './cost-index.js';
export {
  costOfRecord,
  costOfUsage,
  type CostMode,
  type CostOfRecordOptions,
  type CostOfUsageOptions,
  type TierMode,
} from './cost-of-usage.js';
export { loadPriceTable } from './load-price-table.js';
export { defaultPriceTable, mergePriceTables, selectPrices } from './price-table.js';
export { OneShotUsageDedup } from './one-shot-dedup.js';
export { createScanPool, isWorkerImportable, type ScanPool, type ScanPoolOptions } from './scan-pool.js';
export { resolveModelPrice, type PriceMatch, type ResolvedPrice } from './resolve-model-price.js';
export { UsageLedger, type LedgerChange, type UsageLedgerOptions } from './usage-ledger.js';

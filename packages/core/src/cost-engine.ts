// Entry `@agentmux/core/cost-engine`: the cost engine for one-shot reports (ledger, dedup, pricing, compact rows,
// scan pool) without zod, execa or the live index, so that a command such as `agentmux costs` starts in a few
// milliseconds. Everything here is also exported by `@agentmux/core`; `loadPriceTable` (which validates a file with
// zod) and `createCostIndex` are only there.
export * from './cost/engine-exports.js';
export type { Cost } from './spec/cost.js';
export type { ModelPrice, PriceTable } from './spec/model-price.js';
export type { CompactUsageRecords, ProviderV1, UsageScanModule, UsageScanOptions, UsageScanResult } from './spec/provider-v1.js';
export type { TranscriptFile, UsageRecord } from './spec/transcript.js';
export type { Usage } from './spec/usage.js';
export { addUsage, emptyUsage, totalTokens } from './spec/usage-math.js';

export * from './engine-exports.js';
export {
  createCostIndex,
  type CostIndex,
  type CostIndexEvents,
  type CostIndexOptions,
  type CostSnapshot,
  type CostUpdatedEvent,
} from './cost-index.js';
export { loadPriceTable } from './load-price-table.js';

export { appendJsonLine, killAgentProcess, processAlive, type BudgetActionRecord } from './budget-actions.js';
export { BudgetEnforcer, type BudgetEffects } from './budget-enforcer.js';
export {
  checkBudget,
  formatUsd,
  parseBudgets,
  type BudgetAction,
  type BudgetRule,
  type BudgetScope,
  type BudgetVerdict,
  type Spend,
} from './budgets.js';
export { Fleet, createFleet } from './fleet.js';
export type { FleetAgent, FleetEvents, FleetOptions, ProviderFailedEvent } from './fleet-types.js';
export { SessionDirectory } from './session-directory.js';
export { SessionTracker, type ReadFailure, type UsageSink } from './session-tracker.js';

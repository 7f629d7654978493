export {
  AgentManager,
  DEFAULT_PASS_ENV,
  createAgentManager,
  type AgentManagerOptions,
  type SendOptions,
  type SpawnOptions,
} from './agent-manager.js';
export {
  AgentLifecycleStateSchema,
  AgentRecordSchema,
  QueuedMessageSchema,
  type AgentLifecycleState,
  type AgentRecord,
  type QueuedMessage,
} from './agent-record.js';
export type { AgentManagerEvents, LoopReason } from './lifecycle-events.js';
export { searchLogs, stripAnsi, type LogMatch } from './log-search.js';
export type { SendResult } from './message-queue.js';
export type { ConfirmedBy, DeliveryReport, SendTuning } from './verified-send.js';
export type { WatchdogOptions } from './watchdog.js';
export type { AgentWorktree } from './worktree.js';

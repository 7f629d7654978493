export {
  ActivityEventSchema,
  ActivityInputSchema,
  ActivityQuerySchema,
  type ActivityEvent,
  type ActivityInput,
  type ActivityLogV1,
  type ActivityQuery,
  type ActivityTailOptions,
} from './activity-log-v1.js';
export {
  BarrierArrivalSchema,
  BarrierOptionsSchema,
  BarrierStateSchema,
  BarrierWaitOptionsSchema,
  type BarrierArrival,
  type BarrierOptions,
  type BarrierServiceV1,
  type BarrierState,
  type BarrierV1,
  type BarrierWaitOptions,
} from './barrier-v1.js';
export {
  BoardStatsSchema,
  ClaimOptionsSchema,
  TaskConditionSchema,
  TaskErrorSchema,
  TaskLeaseSchema,
  TaskSchema,
  TaskSpecSchema,
  TaskStatusSchema,
  type BoardStats,
  type ClaimOptions,
  type Task,
  type TaskCondition,
  type TaskError,
  type TaskLease,
  type TaskSpec,
  type TaskStatus,
} from './board-task.js';
export type { BoardV1, TaskClaimV1, TaskFailure } from './board-v1.js';
export type { CoordinationBackendV1 } from './coordination-backend-v1.js';
export {
  InboxMessageSchema,
  MessageInputSchema,
  ReceiveOptionsSchema,
  type InboxMessage,
  type InboxV1,
  type MessageInput,
  type ReceiveOptions,
} from './inbox-v1.js';
export {
  LockAcquireOptionsSchema,
  LockInfoSchema,
  type LockAcquireOptions,
  type LockInfo,
  type LockServiceV1,
  type LockV1,
} from './lock-v1.js';
export { CoordinationNameSchema, JsonValueSchema, type CoordinationName, type JsonValue } from './names.js';

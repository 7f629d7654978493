import { z } from 'zod';
import { CoordinationNameSchema, JsonValueSchema } from './names.js';

/**
 * A condition on an earlier task's result. The task is run only when every condition holds once its
 * dependencies are done; otherwise it ends `skipped`. The referenced task counts as a dependency.
 * Exactly one of `equals`, `notEquals`, `exists` is given.
 */
export const TaskConditionSchema = z
  .object({
    /** Id of the earlier task whose result is tested. */
    task: CoordinationNameSchema,
    /** Dotted path into its result, e.g. `ok` or `review.score`; `''` is the whole result. */
    path: z.string().max(500),
    /** Holds when the value at `path` deep-equals this JSON value. */
    equals: JsonValueSchema.optional(),
    /** Holds when the value at `path` does not deep-equal this JSON value. */
    notEquals: JsonValueSchema.optional(),
    /** Holds when a value exists at `path` (`true`) or does not (`false`). */
    exists: z.boolean().optional(),
  })
  .refine(
    (c) => [c.equals, c.notEquals, c.exists].filter((v) => v !== undefined).length === 1,
    'give exactly one of equals, notEquals, exists',
  );
export type TaskCondition = z.infer<typeof TaskConditionSchema>;

/** What a caller gives to `BoardV1.add`. */
export const TaskSpecSchema = z.object({
  /** Unique task id. */
  id: CoordinationNameSchema,
  /** Short human title. */
  title: z.string().min(1).max(500),
  /** Free JSON input for the worker. */
  payload: JsonValueSchema.optional(),
  /** Higher runs first (integer, -1 000 000…1 000 000, default 0). Ties: the earlier added first. */
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  /**
   * Ids of tasks that must be `done` first. They must already be on the board or come earlier in the same
   * `add` call (so cycles cannot form). A dependency that ends `dead` or `skipped` makes this task `skipped`.
   */
  dependencies: z.array(CoordinationNameSchema).max(1000).optional(),
  /** Only a worker claiming with this role may take it. */
  role: CoordinationNameSchema.optional(),
  /** Only a worker having all these labels may take it. */
  labels: z.array(CoordinationNameSchema).max(32).optional(),
  /** Conditions on earlier results (see `TaskConditionSchema`). */
  conditions: z.array(TaskConditionSchema).max(100).optional(),
  /** Claims allowed before the task goes `dead` (≥ 1, default 3). Expired leases count as attempts. */
  maxAttempts: z.number().int().min(1).max(1000).optional(),
});
export type TaskSpec = z.infer<typeof TaskSpecSchema>;

/**
 * Task states. `blocked`: waits for dependencies. `ready`: claimable. `running`: claimed under a lease.
 * `done`: completed with a result. `dead`: failed `maxAttempts` times (or failed without retry).
 * `skipped`: a condition did not hold, or a dependency ended `dead`/`skipped`.
 */
export const TaskStatusSchema = z.enum(['blocked', 'ready', 'running', 'done', 'dead', 'skipped']);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** An error reported by `fail()`, or recorded when a lease expired. */
export const TaskErrorSchema = z.object({
  /** Human message. */
  message: z.string(),
  /** Machine code, e.g. `lease-expired` or the worker's own. */
  code: z.string().optional(),
  /** Attempt (1-based) that failed. */
  attempt: z.number().int().min(1),
  /** ISO-8601 time. */
  at: z.string(),
});
export type TaskError = z.infer<typeof TaskErrorSchema>;

/** The current lease on a running task. */
export const TaskLeaseSchema = z.object({
  /** Claim token; required by heartbeat/complete/fail (fencing). */
  token: z.string(),
  /** Worker that claimed. */
  worker: z.string(),
  /** Attempt number of this claim (1-based). */
  attempt: z.number().int().min(1),
  /** ISO-8601 claim time. */
  claimedAt: z.string(),
  /** ISO-8601 lease end. */
  expiresAt: z.string(),
});
export type TaskLease = z.infer<typeof TaskLeaseSchema>;

/** A task as stored on the board. */
export const TaskSchema = z.object({
  id: z.string(),
  title: z.string(),
  payload: JsonValueSchema.optional(),
  /** Priority with the default applied. */
  priority: z.number().int(),
  /** Dependencies including the tasks named by conditions. */
  dependencies: z.array(z.string()),
  role: z.string().optional(),
  labels: z.array(z.string()),
  conditions: z.array(TaskConditionSchema),
  maxAttempts: z.number().int().min(1),
  /** Current state. */
  status: TaskStatusSchema,
  /** Claims so far that ended without completion (failed or expired). */
  failedAttempts: z.number().int().min(0),
  /** ISO-8601 time added. */
  createdAt: z.string(),
  /** ISO-8601 time of the last state change. */
  updatedAt: z.string(),
  /** Lease while `running`. */
  lease: TaskLeaseSchema.optional(),
  /** Result once `done`. */
  result: JsonValueSchema.optional(),
  /** Worker that completed it. */
  completedBy: z.string().optional(),
  /** Failures so far, oldest first. */
  errors: z.array(TaskErrorSchema),
  /** Why it was skipped. */
  skipReason: z.string().optional(),
});
export type Task = z.infer<typeof TaskSchema>;

/** Options of `BoardV1.claim`. */
export const ClaimOptionsSchema = z.object({
  /** Worker name (recorded on the task). */
  worker: z.string().min(1).max(200),
  /** The worker's role: it may take tasks without a role or with this role. */
  role: CoordinationNameSchema.optional(),
  /** The worker's labels: it may take tasks whose labels are all among these. */
  labels: z.array(CoordinationNameSchema).max(64).optional(),
  /** Lease length in ms (≥ 1). Heartbeat before it ends or the task is reclaimed. */
  leaseMs: z.number().int().min(1),
});
export type ClaimOptions = z.infer<typeof ClaimOptionsSchema>;

/** Counts per state. */
export const BoardStatsSchema = z.object({
  blocked: z.number().int(),
  ready: z.number().int(),
  running: z.number().int(),
  done: z.number().int(),
  dead: z.number().int(),
  skipped: z.number().int(),
  total: z.number().int(),
});
export type BoardStats = z.infer<typeof BoardStatsSchema>;

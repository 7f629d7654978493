import type { JsonValue } from './names.js';
import type { BoardStats, ClaimOptions, Task, TaskSpec, TaskStatus } from './board-task.js';

/** An error given to `fail()`: a message or an object with a machine code. */
export type TaskFailure = string | { message: string; code?: string };

/** A claimed task: the caller holds its lease until complete/fail or expiry. */
export interface TaskClaimV1 {
  /** The task at claim time (`status: 'running'`, `lease` set). */
  readonly task: Task;
  /** Claim token (fencing): only this claim may heartbeat/complete/fail. */
  readonly token: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Epoch ms of the lease end, updated by `heartbeat()`. */
  readonly expiresAt: number;
  /** Extends the lease to now + `leaseMs` (default: the claim's). `LeaseLostError` when reclaimed. */
  heartbeat(leaseMs?: number): Promise<void>;
  /** Marks the task done with `result`; `LeaseLostError` when the lease was lost. */
  complete(result?: JsonValue): Promise<Task>;
  /**
   * Records a failure. The task goes back to `ready` while attempts remain (and `retry` is not false),
   * else `dead`. `LeaseLostError` when the lease was lost.
   */
  fail(error: TaskFailure, options?: { retry?: boolean }): Promise<Task>;
}

/**
 * A shared task board (work queue with dependencies and leases).
 *
 * Rules every backend follows (checked by the conformance suite):
 * - `claim` is atomic: a task is handed to at most one claimer at a time; it returns the eligible `ready`
 *   task with the highest priority (ties: the earliest added), or `null`;
 * - eligible = no role or the worker's role, and all labels among the worker's labels;
 * - a task becomes `ready` once every dependency is `done` and every condition holds; a dependency that is
 *   `dead`/`skipped`, or a condition that fails, makes it `skipped` (and so on down the chain);
 * - a lease that is not extended in time (or whose claimer pid is dead, where the backend sees pids) is
 *   reclaimed: the task returns to `ready` with the attempt counted, or goes `dead` when attempts are used up;
 * - after a reclaim, the old claim's heartbeat/complete/fail reject with `LeaseLostError`; a task is never
 *   completed twice;
 * - bad specs reject with `InvalidArgumentError` naming the field; unknown ids with `NotFoundError`.
 */
export interface BoardV1 {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /** Adds tasks (all validated before any is stored). Duplicate ids reject with `InvalidArgumentError`. */
  add(tasks: TaskSpec | readonly TaskSpec[]): Promise<Task[]>;
  /** Claims the best eligible ready task, or returns `null` when none. Reclaims expired leases first. */
  claim(options: ClaimOptions): Promise<TaskClaimV1 | null>;
  /** Heartbeat by id + token (for a claim held in another process). */
  heartbeat(id: string, token: string, leaseMs?: number): Promise<void>;
  /** Complete by id + token. */
  complete(id: string, token: string, result?: JsonValue): Promise<Task>;
  /** Fail by id + token. */
  fail(id: string, token: string, error: TaskFailure, options?: { retry?: boolean }): Promise<Task>;
  /** One task; `NotFoundError` when unknown. */
  get(id: string): Promise<Task>;
  /** Tasks, optionally of one status, ordered by id (at most `limit`). */
  list(options?: { status?: TaskStatus; limit?: number }): Promise<Task[]>;
  /** Counts per status. */
  stats(): Promise<BoardStats>;
  /** Reclaims every expired lease now; returns how many. (`claim` also does this as needed.) */
  reclaimExpired(): Promise<number>;
}

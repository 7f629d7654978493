import type { Task } from '../../spec/coordination/board-task.js';
import type { TaskClaimV1, TaskFailure } from '../../spec/coordination/board-v1.js';
import type { JsonValue } from '../../spec/coordination/names.js';
import type { LeaseRecord, TaskRecord } from './board-store.js';
import type { FileBoard } from './file-board.js';

/** A claim held by this process (returned by `FileBoard.claim`). */
export class FileTaskClaim implements TaskClaimV1 {
  private lease: LeaseRecord;
  constructor(
    private readonly board: FileBoard,
    readonly task: Task,
    lease: LeaseRecord,
    private readonly record: TaskRecord,
  ) {
    this.lease = lease;
  }
  get token(): string {
    return this.lease.token;
  }
  get attempt(): number {
    return this.lease.attempt;
  }
  get expiresAt(): number {
    return this.lease.expiresAt;
  }
  async heartbeat(leaseMs?: number): Promise<void> {
    const ms = leaseMs ?? this.lease.leaseMs;
    await this.board.heartbeat(this.task.id, this.lease.token, ms);
    this.lease = { ...this.lease, expiresAt: Date.now() + ms, leaseMs: ms };
  }
  complete(result?: JsonValue): Promise<Task> {
    return this.board.completeKnown(this.task.id, this.lease.token, result, { record: this.record, worker: this.lease.worker });
  }
  fail(error: TaskFailure, options?: { retry?: boolean }): Promise<Task> {
    return this.board.fail(this.task.id, this.lease.token, error, options);
  }
}

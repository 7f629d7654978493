import type { ActivityLogV1 } from './activity-log-v1.js';
import type { BarrierServiceV1 } from './barrier-v1.js';
import type { BoardV1 } from './board-v1.js';
import type { InboxV1 } from './inbox-v1.js';
import type { LockServiceV1 } from './lock-v1.js';

/**
 * Everything agents need to coordinate, on one store (files, Redis …). Must be disposed (`await using`):
 * disposing stops watchers and timers and rejects pending waits with `CoordinationUnavailableError`; it
 * does not delete state.
 */
export interface CoordinationBackendV1 extends AsyncDisposable {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /** Backend id, e.g. `file` or `redis`. */
  readonly id: string;
  /** Locks with fencing tokens. */
  readonly locks: LockServiceV1;
  /** Cyclic barriers. */
  readonly barriers: BarrierServiceV1;
  /** The task board. */
  readonly board: BoardV1;
  /** Per-agent inboxes. */
  readonly inboxes: InboxV1;
  /** The activity log. */
  readonly activity: ActivityLogV1;
}

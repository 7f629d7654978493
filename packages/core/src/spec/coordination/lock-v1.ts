import { z } from 'zod';
import { CoordinationNameSchema } from './names.js';

/** Options of `LockServiceV1.acquire`. */
export const LockAcquireOptionsSchema = z.object({
  /**
   * Lease length in ms (≥ 1). When the holder neither releases nor `extend()`s within it, the lock is treated as
   * abandoned and granted to the next waiter. Pick it longer than the critical section; extend for long work.
   */
  ttlMs: z.number().int().min(1),
  /** How long to wait for the lock in ms (default 10 000). `0` tries once. Past it: `TimeoutError`. */
  timeoutMs: z.number().int().min(0).optional(),
  /** Who holds it, for humans and `inspect()` (default `pid:<pid>`). Free text, never a secret. */
  owner: z.string().min(1).max(200).optional(),
});
export type LockAcquireOptions = z.infer<typeof LockAcquireOptionsSchema> & {
  /** Aborts the wait; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
};

/** What `inspect()` tells about a held lock. */
export const LockInfoSchema = z.object({
  /** Lock name. */
  name: CoordinationNameSchema,
  /** Holder's owner text. */
  owner: z.string(),
  /** Fencing token of the current grant. */
  token: z.number().int().positive(),
  /** Holder's pid (on `host`), when known. */
  pid: z.number().int().nullable(),
  /** Holder's host name. */
  host: z.string(),
  /** ISO-8601 time of the grant. */
  acquiredAt: z.string(),
  /** ISO-8601 time the lease runs out unless extended. */
  expiresAt: z.string(),
});
export type LockInfo = z.infer<typeof LockInfoSchema>;

/**
 * A granted lock. Dispose it (`await using`) or call `release()`.
 *
 * Fencing: `token` is strictly greater than the token of every earlier grant of the same name, across
 * processes and restarts of the backend. Pass it to the resource you protect and have the resource reject
 * tokens lower than the highest it has seen: that is what keeps a paused holder whose lease ran out from
 * doing damage. Mutual exclusion itself only holds while the lease is valid.
 */
export interface LockV1 extends AsyncDisposable {
  /** Lock name. */
  readonly name: string;
  /** Owner text given at acquire. */
  readonly owner: string;
  /** Fencing token (positive integer, strictly increasing per lock name). */
  readonly token: number;
  /** Epoch ms at which the lease ends, updated by `extend()`. */
  readonly expiresAt: number;
  /**
   * Pushes the lease end to now + `ttlMs` (default: the acquire ttl). Throws `LeaseLostError` when the lock
   * was already granted to someone else or released.
   */
  extend(ttlMs?: number): Promise<void>;
  /**
   * Releases the lock and wakes the next waiter. Idempotent. Returns `false` (and changes nothing) when the
   * lease had already been lost to another holder.
   */
  release(): Promise<boolean>;
  /** True while this grant still holds the lock (not released, not expired, not taken over). */
  isHeld(): Promise<boolean>;
}

/**
 * Named mutual-exclusion leases with fencing tokens.
 *
 * Rules every backend follows (checked by the conformance suite):
 * - at most one valid grant per name at any time; waiters are woken promptly when it is released;
 * - a holder whose lease expired, or whose pid is dead on this host (backends that can see pids), is
 *   considered gone: the lock goes to the next waiter with a higher token;
 * - `acquire` rejects with `TimeoutError` (operation `lock:<name>`) when not granted within `timeoutMs`,
 *   with `InvalidArgumentError` for a bad name or option, and `CoordinationUnavailableError` when the
 *   backend is down or disposed.
 */
export interface LockServiceV1 {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /** Waits for the lock (up to `timeoutMs`) and returns the grant. */
  acquire(name: string, options: LockAcquireOptions): Promise<LockV1>;
  /** One attempt, no waiting: the grant, or `null` when someone else holds it. */
  tryAcquire(name: string, options: Omit<LockAcquireOptions, 'timeoutMs' | 'signal'>): Promise<LockV1 | null>;
  /** The current valid grant of `name`, or `null` when free (an expired/dead grant counts as free). */
  inspect(name: string): Promise<LockInfo | null>;
}

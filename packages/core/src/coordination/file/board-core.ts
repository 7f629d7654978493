import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Task, TaskStatus } from '../../spec/coordination/board-task.js';
import type { TaskFailure } from '../../spec/coordination/board-v1.js';
import { conditionFails } from './board-conditions.js';
import {
  BoardJournal,
  HOST_TAG,
  boardPaths,
  ctimeMs,
  findLeaseFiles,
  idOfEntry,
  readCompletion,
  readLease,
  readRecord,
  readyEntry,
  splitLeaseFile,
  toTask,
  tokenOwner,
  writeRecord,
  type BoardPaths,
  type CompletionRecord,
  type LeaseRecord,
  type TaskRecord,
} from './board-store.js';
import { QueueLogs } from './board-queue.js';
import type { FileContext } from './file-context.js';
import { ensureDir, errnoCode, isPidAlive, moveIfPresent, safeUnlink, tryRename } from './fs-utils.js';

/** A lease file whose content was never written counts as expired this long after the claim. */
export const EMPTY_LEASE_GRACE_MS = 5_000;
/** A `limbo` entry of a live process older than this is considered abandoned. */
export const TRANSIENT_GRACE_MS = 60_000;

/**
 * State transitions of the file board. A task's state is where its token file lives (exactly one of
 * `blocked/`, `ready/<queue>/`, `leased/`, `limbo/`, `done/`, `dead/`, `skipped/`); every
 * transition is one `rename`, so two processes can never both move the same task. The JSON record in
 * `tasks/<id>.json` holds spec and history and is only rewritten by the process that owns the token file.
 */
export class BoardCore {
  readonly p: BoardPaths;
  readonly journal: BoardJournal;
  readonly qlogs: QueueLogs;

  constructor(readonly ctx: FileContext) {
    this.p = boardPaths(ctx.root);
    this.journal = new BoardJournal(this.p.journal, ctx.fsyncAll);
    this.qlogs = new QueueLogs(this.p.qlog);
  }

  close(): void {
    this.journal.close();
    this.qlogs.close();
  }

  readyPath(record: TaskRecord): string {
    return join(this.p.ready, record.queue, readyEntry(record));
  }

  /** Moves a token file into the task's ready queue and logs the entry for claimers. */
  moveToReady(from: string, record: TaskRecord): boolean {
    ensureDir(join(this.p.ready, record.queue));
    if (!moveIfPresent(from, this.readyPath(record))) return false;
    this.qlogs.append(record.queue, readyEntry(record));
    this.journal.write('task-ready', { task: record.id });
    return true;
  }

  /** Creates the token file of a new task in `blocked/` (no other process knows it yet). */
  createBlockedToken(id: string): void {
    closeSync(openSync(join(this.p.blocked, id), 'wx'));
  }

  /** Status of a terminal or blocked task by looking where its token is. */
  locate(record: TaskRecord): { status: TaskStatus; lease?: LeaseRecord; completion?: CompletionRecord } | undefined {
    const p = this.p;
    const has = (dir: string): boolean => {
      try {
        closeSync(openSync(join(dir, record.id), 'r'));
        return true;
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') return false;
        throw error;
      }
    };
    for (let round = 0; round < 5; round += 1) {
      // Check in flow order so a concurrent forward move is still seen.
      if (has(p.blocked)) return { status: 'blocked' };
      try {
        closeSync(openSync(this.readyPath(record), 'r'));
        return { status: 'ready' };
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT') throw error;
      }
      const leased = findLeaseFiles(p.leased, record.id)[0];
      if (leased) {
        const lease = readLease(join(p.leased, leased));
        return lease ? { status: 'running', lease } : { status: 'running' };
      }
      if (findLeaseFiles(p.limbo, record.id).length > 0) {
        return { status: 'running' };
      }
      const completion = readCompletion(join(p.done, record.id));
      if (completion) return { status: 'done', completion };
      if (has(p.done)) return { status: 'done' };
      if (has(p.dead)) return { status: 'dead' };
      if (has(p.skipped)) return { status: 'skipped' };
    }
    return undefined;
  }

  /** Status of a dependency (`undefined` when not terminal yet). */
  terminalStatus(id: string): 'done' | 'dead' | 'skipped' | undefined {
    for (const [dir, status] of [
      [this.p.done, 'done'],
      [this.p.dead, 'dead'],
      [this.p.skipped, 'skipped'],
    ] as const) {
      try {
        closeSync(openSync(join(dir, id), 'r'));
        return status;
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT') throw error;
      }
    }
    return undefined;
  }

  /**
   * Re-evaluates a blocked task: when every dependency is terminal it moves to `ready` (all done and every
   * condition holds) or `skipped`. Safe to call from any number of processes at once: one rename wins.
   */
  promote(id: string): void {
    const record = readRecord(this.p, id);
    if (!record) return;
    let skipReason: string | undefined;
    for (const dep of record.dependencies) {
      const status = this.terminalStatus(dep);
      if (status === undefined) return; // still waiting
      if (status !== 'done' && skipReason === undefined) skipReason = `dependency ${dep} is ${status}`;
    }
    if (skipReason === undefined) {
      for (const condition of record.conditions) {
        const source = readCompletion(join(this.p.done, condition.task));
        const reason = conditionFails(condition, source?.result);
        if (reason) {
          skipReason = reason;
          break;
        }
      }
    }
    const blockedPath = join(this.p.blocked, id);
    if (skipReason === undefined) {
      this.moveToReady(blockedPath, record);
      return;
    }
    if (!tryRename(blockedPath, join(this.p.skipped, id))) return;
    writeRecord(this.p, { ...record, skipReason, updatedAt: new Date().toISOString() }, this.ctx.fsyncAll);
    this.journal.write('task-skipped', { task: id, reason: skipReason });
    this.promoteDependents(id);
  }

  /** Re-evaluates every task waiting on `id` (after `id` reached a terminal state). */
  promoteDependents(id: string): void {
    const dir = join(this.p.waiters, id);
    if (!existsSync(dir)) return; // most tasks have no dependents: no exception on the hot path
    let children: string[];
    try {
      children = findWaiters(dir);
    } catch {
      return;
    }
    for (const child of children) this.promote(child);
  }

  /**
   * Records a failed attempt for a token file already moved to `limbo/` by this process, then moves it to
   * `ready` (attempts left and retry allowed) or `dead`. Idempotent per token.
   */
  settleFailure(limboName: string, failure: { message: string; code?: string }, retry: boolean): Task | undefined {
    const parsed = splitLeaseFile(limboName);
    if (!parsed) return undefined;
    const record = readRecord(this.p, parsed.id);
    const from = join(this.p.limbo, limboName);
    if (!record) {
      safeUnlink(from);
      return undefined;
    }
    let next = record;
    if (record.lastFailedToken !== parsed.token) {
      const attempt = record.failedAttempts + 1;
      next = {
        ...record,
        failedAttempts: attempt,
        lastFailedToken: parsed.token,
        updatedAt: new Date().toISOString(),
        errors: [...record.errors, { message: failure.message, ...(failure.code ? { code: failure.code } : {}), attempt, at: new Date().toISOString() }],
      };
      writeRecord(this.p, next, this.ctx.fsyncAll);
    }
    if (retry && next.failedAttempts < next.maxAttempts) {
      this.journal.write('task-failed', { task: next.id, token: parsed.token, attempt: next.failedAttempts, code: failure.code ?? null, retry: true });
      if (this.moveToReady(from, next)) return toTask(next, 'ready');
      return undefined;
    }
    if (!tryRename(from, join(this.p.dead, next.id))) return undefined;
    this.journal.write('task-dead', { task: next.id, token: parsed.token, attempts: next.failedAttempts, code: failure.code ?? null });
    this.promoteDependents(next.id);
    return toTask(next, 'dead');
  }

  /** Whether the claimer of a lease is gone: lease expired, or its pid is dead on this host. */
  leaseStale(path: string, token: string, now: number): { stale: boolean; reason: string; code: string } {
    const owner = tokenOwner(token);
    if (owner && owner.hostTag === HOST_TAG && !isPidAlive(owner.pid)) {
      return { stale: true, reason: `claimer pid ${owner.pid} is dead`, code: 'holder-died' };
    }
    const raw = readLease(path);
    if (raw === undefined) return { stale: false, reason: '', code: '' };
    // Content written under another token (a racing in-place write) does not count.
    const lease = raw && raw.token === token ? raw : null;
    const expiresAt = lease ? lease.expiresAt : (ctimeMs(path) ?? now) + EMPTY_LEASE_GRACE_MS;
    return now > expiresAt
      ? { stale: true, reason: `lease expired at ${new Date(expiresAt).toISOString()}`, code: 'lease-expired' }
      : { stale: false, reason: '', code: '' };
  }

  /** Reclaims every stale lease; returns how many. */
  reclaimExpired(): number {
    let count = 0;
    for (const name of listLeaseDir(this.p.leased)) {
      const parsed = splitLeaseFile(name);
      if (!parsed) continue;
      const path = join(this.p.leased, name);
      const verdict = this.leaseStale(path, parsed.token, Date.now());
      if (!verdict.stale) continue;
      if (readCompletion(path)?.token === parsed.token) {
        // The claimer recorded its result and died before publishing it: roll forward.
        if (moveIfPresent(path, join(this.p.done, parsed.id))) {
          this.journal.write('task-completed', { task: parsed.id, token: parsed.token, recovered: true });
          this.promoteDependents(parsed.id);
        }
        continue;
      }
      const limbo = join(this.p.limbo, name);
      if (!tryRename(path, limbo)) continue; // completed, failed or reclaimed meanwhile
      // A heartbeat may have landed between the check and the rename: put it back if so.
      if (!this.leaseStale(limbo, parsed.token, Date.now()).stale) {
        tryRename(limbo, path);
        continue;
      }
      this.journal.write('task-reclaimed', { task: parsed.id, token: parsed.token, reason: verdict.reason });
      this.settleFailure(name, { message: verdict.reason, code: verdict.code }, true);
      count += 1;
    }
    return count;
  }

  /** Finishes failures abandoned by crashed processes in `limbo/`. */
  recoverTransient(): void {
    const now = Date.now();
    const abandoned = (path: string, token: string): boolean => {
      const owner = tokenOwner(token);
      if (owner && owner.hostTag === HOST_TAG && owner.pid !== process.pid && !isPidAlive(owner.pid)) return true;
      const c = ctimeMs(path);
      return c !== undefined && now - c > TRANSIENT_GRACE_MS;
    };
    for (const name of listLeaseDir(this.p.limbo)) {
      const parsed = splitLeaseFile(name);
      if (!parsed || !abandoned(join(this.p.limbo, name), parsed.token)) continue;
      this.settleFailure(name, { message: 'claimer died while failing the task', code: 'holder-died' }, true);
    }
  }

  /** Re-evaluates every blocked task (recovers promotions lost to a crash). */
  sweepBlocked(): void {
    for (const id of listLeaseDir(this.p.blocked)) this.promote(id);
  }

  /** Entry name → task id for ready entries. */
  idOf(entry: string): string {
    return idOfEntry(entry);
  }
}

function listLeaseDir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.includes('.tmp-') && !n.startsWith('.'));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
}

function findWaiters(dir: string): string[] {
  return readdirSync(dir);
}

/** Normalises a `fail()` argument. */
export function normaliseFailure(error: TaskFailure): { message: string; code?: string } {
  if (typeof error === 'string') return { message: error };
  return error.code === undefined ? { message: error.message } : { message: error.message, code: error.code };
}

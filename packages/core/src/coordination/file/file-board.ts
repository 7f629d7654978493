import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { LeaseLostError } from '../../errors/lease-lost-error.js';
import { NotFoundError } from '../../errors/not-found-error.js';
import {
  ClaimOptionsSchema,
  TaskSpecSchema,
  type BoardStats,
  type ClaimOptions,
  type Task,
  type TaskSpec,
  type TaskStatus,
} from '../../spec/coordination/board-task.js';
import type { BoardV1, TaskClaimV1, TaskFailure } from '../../spec/coordination/board-v1.js';
import { JsonValueSchema, type JsonValue } from '../../spec/coordination/names.js';
import { BoardCore, normaliseFailure } from './board-core.js';
import { FileTaskClaim } from './board-claim.js';
import { QueueCursor } from './board-queue.js';
import {
  ensureBoardDirs,
  findLeaseFiles,
  idOfEntry,
  leaseFile,
  listDir,
  newClaimToken,
  queueEligible,
  queueName,
  readCompletion,
  readLease,
  readRecord,
  sortKey,
  splitLeaseFile,
  toTask,
  writeLease,
  writeTokenFile,
  type CompletionRecord,
  type LeaseRecord,
  type TaskRecord,
} from './board-store.js';
import type { FileContext } from './file-context.js';
import { createFileExclusive, ensureDir, errnoCode, moveIfPresent } from './fs-utils.js';
import { checkName, parseOrThrow } from './validate.js';

const SWEEP_EVERY_MS = 250;
const SWEEP_BLOCKED_EVERY_MS = 5_000;

/**
 * The file board. See `BoardCore` for the on-disk layout and why every transition is a single rename.
 * Hot path: claim = 1 rename + 1 record read + 1 lease write + 1 journal append; complete = 1 in-place
 * write of the result into the token file + 1 rename + 1 append (+ dependents). No inode is created or freed.
 */
export class FileBoard implements BoardV1 {
  readonly specificationVersion = 'v1' as const;
  private readonly core: BoardCore;
  private readonly cursors = new Map<string, QueueCursor>();
  private lastSweep = 0;
  private lastBlockedSweep = 0;
  private queueList: { at: number; names: string[] } | undefined;

  constructor(private readonly ctx: FileContext) {
    this.core = new BoardCore(ctx);
    ensureBoardDirs(this.core.p);
  }

  /** Finishes work left by crashed processes and re-checks blocked tasks (run once at open). */
  recover(): void {
    this.core.recoverTransient();
    this.core.reclaimExpired();
    this.core.sweepBlocked();
  }

  close(): void {
    for (const cursor of this.cursors.values()) cursor.close();
    this.cursors.clear();
    this.core.close();
  }

  async add(tasks: TaskSpec | readonly TaskSpec[]): Promise<Task[]> {
    this.ctx.assertOpen();
    const input: readonly unknown[] = Array.isArray(tasks) ? tasks : [tasks];
    const p = this.core.p;
    const specs = input.map((t, i) =>
      parseOrThrow(TaskSpecSchema, t, `tasks[${i}]`, 'pass { id, title, payload?, priority?, dependencies?, role?, labels?, conditions?, maxAttempts? }'),
    );
    const seen = new Set<string>();
    specs.forEach((spec, i) => {
      if (seen.has(spec.id) || readRecord(p, spec.id)) {
        throw new InvalidArgumentError(`tasks[${i}].id`, `task "${spec.id}" already exists`, 'use a new, unique task id');
      }
      const deps = dependenciesOf(spec);
      deps.forEach((dep) => {
        if (dep === spec.id) {
          throw new InvalidArgumentError(`tasks[${i}].dependencies`, `task "${spec.id}" depends on itself`, 'remove the self-dependency');
        }
        if (!seen.has(dep) && !readRecord(p, dep)) {
          throw new InvalidArgumentError(
            `tasks[${i}].dependencies`,
            `unknown task "${dep}"`,
            'add the dependency first (earlier in the same call or before), or fix the id',
          );
        }
      });
      seen.add(spec.id);
    });
    const added: Task[] = [];
    for (const [i, spec] of specs.entries()) {
      const now = new Date().toISOString();
      const labels = [...new Set(spec.labels ?? [])].sort();
      const record: TaskRecord = {
        id: spec.id,
        title: spec.title,
        ...(spec.payload !== undefined ? { payload: spec.payload } : {}),
        priority: spec.priority ?? 0,
        dependencies: dependenciesOf(spec),
        ...(spec.role !== undefined ? { role: spec.role } : {}),
        labels,
        conditions: spec.conditions ?? [],
        maxAttempts: spec.maxAttempts ?? 3,
        failedAttempts: 0,
        createdAt: now,
        updatedAt: now,
        errors: [],
        queue: queueName(spec.role, labels),
        key: sortKey(spec.priority ?? 0),
      };
      if (!createFileExclusive(join(p.tasks, `${record.id}.json`), `${JSON.stringify(record, null, 1)}\n`, this.ctx.fsyncAll)) {
        throw new InvalidArgumentError(`tasks[${i}].id`, `task "${spec.id}" already exists`, 'use a new, unique task id');
      }
      // Waiter entries first, then the token, then one promotion attempt: a dependency finishing at any
      // moment in between is still noticed by it or by us.
      for (const dep of record.dependencies) {
        const dir = join(p.waiters, dep);
        ensureDir(dir);
        try {
          closeSync(openSync(join(dir, record.id), 'wx'));
        } catch (error) {
          if (errnoCode(error) !== 'EEXIST') throw error;
        }
      }
      this.core.createBlockedToken(record.id);
      this.core.journal.write('task-added', { task: record.id, priority: record.priority });
      this.core.promote(record.id);
      added.push(await this.get(record.id));
    }
    return added;
  }

  async claim(options: ClaimOptions): Promise<TaskClaimV1 | null> {
    this.ctx.assertOpen();
    const opts = parseOrThrow(ClaimOptionsSchema, options, 'options', 'pass { worker, leaseMs, role?, labels? }');
    this.maybeSweep(false);
    const labels = new Set(opts.labels ?? []);
    for (let pass = 0; pass < 2; pass += 1) {
      const queues = this.queues().filter((q) => queueEligible(q, opts.role, labels));
      let contended = false;
      for (let tries = 0; tries < 100_000; tries += 1) {
        let best: { name: string; queue: string; cursor: QueueCursor } | undefined;
        for (const queue of queues) {
          const cursor = this.cursor(queue);
          const name = cursor.head();
          if (name !== undefined && (best === undefined || name < best.name)) best = { name, queue, cursor };
        }
        if (!best) break;
        const entry = best.cursor.pick(contended) ?? best.name;
        best.cursor.drop(entry);
        const claimed = this.tryClaim(best.queue, entry, opts);
        if (claimed) return claimed;
        contended = true;
      }
      if (pass === 0) {
        this.queueList = undefined;
        this.maybeSweep(true);
      }
    }
    return null;
  }

  /** Ready-queue directories (cached for 100 ms; new queues are rare). */
  private queues(): string[] {
    const now = Date.now();
    if (!this.queueList || now - this.queueList.at > 100) this.queueList = { at: now, names: listDir(this.core.p.ready) };
    return this.queueList.names;
  }

  private tryClaim(queue: string, entry: string, opts: ClaimOptions): TaskClaimV1 | null {
    const p = this.core.p;
    const id = idOfEntry(entry);
    const token = newClaimToken();
    const leased = join(p.leased, leaseFile(id, token));
    if (!moveIfPresent(join(p.ready, queue, entry), leased)) return null;
    this.core.qlogs.appendClaimed(queue, entry);
    const record = readRecord(p, id);
    const now = Date.now();
    const lease: LeaseRecord = {
      token,
      worker: opts.worker,
      attempt: (record?.failedAttempts ?? 0) + 1,
      claimedAt: now,
      expiresAt: now + opts.leaseMs,
      leaseMs: opts.leaseMs,
    };
    writeLease(leased, lease);
    if (!record) return null; // a token without a record cannot happen unless files were removed by hand
    this.core.journal.write('task-claimed', { task: id, token, worker: opts.worker, attempt: lease.attempt });
    return new FileTaskClaim(this, toTask(record, 'running', lease), lease, record);
  }

  private cursor(queue: string): QueueCursor {
    let cursor = this.cursors.get(queue);
    if (!cursor) {
      cursor = new QueueCursor(join(this.core.p.ready, queue), join(this.core.p.qlog, `${queue}.log`));
      this.cursors.set(queue, cursor);
    }
    return cursor;
  }

  private maybeSweep(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.core.reclaimExpired();
    if (now - this.lastBlockedSweep >= SWEEP_BLOCKED_EVERY_MS) {
      this.lastBlockedSweep = now;
      this.core.recoverTransient();
      this.core.sweepBlocked();
    }
  }

  async heartbeat(id: string, token: string, leaseMs?: number): Promise<void> {
    this.ctx.assertOpen();
    checkName(id, 'id');
    if (leaseMs !== undefined && (!Number.isInteger(leaseMs) || leaseMs < 1)) {
      throw new InvalidArgumentError('leaseMs', `${leaseMs} is not a positive integer`, 'pass the lease length in ms');
    }
    const path = join(this.core.p.leased, leaseFile(id, token));
    const lease = readLease(path);
    if (lease === undefined) throw new LeaseLostError(`task:${id}`, token);
    const ms = leaseMs ?? lease?.leaseMs ?? 30_000;
    const now = Date.now();
    const next: LeaseRecord = lease
      ? { ...lease, expiresAt: now + ms, leaseMs: ms }
      : { token, worker: 'unknown', attempt: 1, claimedAt: now, expiresAt: now + ms, leaseMs: ms };
    if (!writeLease(path, next) || readLease(path) === undefined) throw new LeaseLostError(`task:${id}`, token);
  }

  async complete(id: string, token: string, result?: JsonValue): Promise<Task> {
    return this.completeKnown(id, token, result);
  }

  /** `complete`, skipping two file reads when the claim handle already knows the record and worker. */
  async completeKnown(id: string, token: string, result: JsonValue | undefined, known?: { record: TaskRecord; worker: string }): Promise<Task> {
    this.ctx.assertOpen();
    checkName(id, 'id');
    const value = result === undefined ? undefined : parseOrThrow(JsonValueSchema, result, 'result', 'pass a JSON-serialisable result');
    const p = this.core.p;
    const leased = join(p.leased, leaseFile(id, token));
    const donePath = join(p.done, id);
    const lost = (): LeaseLostError => {
      const done = readCompletion(donePath);
      return new LeaseLostError(`task:${id}`, token, done?.token === token ? 'This claim already completed the task.' : undefined);
    };
    let record = known?.record;
    let worker = known?.worker;
    if (!record || worker === undefined) {
      const lease = readLease(leased);
      if (lease === undefined) {
        if (!readRecord(p, id)) throw new NotFoundError('task', id, 'Check the id returned by claim().');
        throw lost();
      }
      record = readRecord(p, id);
      if (!record) throw new NotFoundError('task', id);
      worker = lease?.worker ?? 'unknown';
    }
    const completion: CompletionRecord = {
      completed: true,
      token,
      worker,
      at: Date.now(),
      ...(value !== undefined ? { result: value } : {}),
    };
    // The result goes into the token file itself (in place: no new inode), then one rename publishes it.
    // A reclaimer that renames the lease away first wins: our rename fails and we report the lost lease.
    if (!writeTokenFile(leased, completion)) throw lost();
    if (!moveIfPresent(leased, donePath)) {
      // Rolled forward by a sweeper (our completion, our token) or reclaimed (lost).
      if (readCompletion(donePath)?.token === token) return toTask(record, 'done', undefined, completion);
      throw lost();
    }
    this.core.journal.write('task-completed', { task: id, token, worker: completion.worker });
    this.core.promoteDependents(id);
    return toTask(record, 'done', undefined, completion);
  }

  async fail(id: string, token: string, error: TaskFailure, options: { retry?: boolean } = {}): Promise<Task> {
    this.ctx.assertOpen();
    checkName(id, 'id');
    if (typeof error !== 'string' && (typeof error !== 'object' || error === null || typeof error.message !== 'string')) {
      throw new InvalidArgumentError('error', 'expected a string or { message, code? }', 'pass the failure reason');
    }
    const p = this.core.p;
    const name = leaseFile(id, token);
    if (!moveIfPresent(join(p.leased, name), join(p.limbo, name))) {
      if (!readRecord(p, id)) throw new NotFoundError('task', id);
      throw new LeaseLostError(`task:${id}`, token);
    }
    return this.core.settleFailure(name, normaliseFailure(error), options.retry !== false) ?? this.get(id);
  }

  async get(id: string): Promise<Task> {
    this.ctx.assertOpen();
    checkName(id, 'id');
    const record = readRecord(this.core.p, id);
    if (!record) throw new NotFoundError('task', id, 'List tasks with board.list().');
    const where = this.core.locate(record) ?? { status: 'running' as const };
    return toTask(record, where.status, where.lease, where.completion);
  }

  async list(options: { status?: TaskStatus; limit?: number } = {}): Promise<Task[]> {
    this.ctx.assertOpen();
    const ids = options.status ? this.idsWithStatus(options.status) : listDir(this.core.p.tasks).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
    const sorted = [...new Set(ids)].sort();
    const limited = options.limit !== undefined ? sorted.slice(0, Math.max(0, options.limit)) : sorted;
    const tasks: Task[] = [];
    for (const id of limited) {
      try {
        tasks.push(await this.get(id));
      } catch (error) {
        if (!NotFoundError.isInstance(error)) throw error;
      }
    }
    return options.status ? tasks.filter((t) => t.status === options.status) : tasks;
  }

  private idsWithStatus(status: TaskStatus): string[] {
    const p = this.core.p;
    switch (status) {
      case 'blocked':
        return listDir(p.blocked);
      case 'ready':
        return listDir(p.ready).flatMap((q) => listDir(join(p.ready, q)).map(idOfEntry));
      case 'running':
        return [p.leased, p.limbo].flatMap((d) => listDir(d).flatMap((n) => splitLeaseFile(n)?.id ?? []));
      default:
        return listDir(status === 'done' ? p.done : status === 'dead' ? p.dead : p.skipped);
    }
  }

  async stats(): Promise<BoardStats> {
    this.ctx.assertOpen();
    const count = (s: TaskStatus): number => new Set(this.idsWithStatus(s)).size;
    const stats = {
      blocked: count('blocked'),
      ready: count('ready'),
      running: count('running'),
      done: count('done'),
      dead: count('dead'),
      skipped: count('skipped'),
    };
    return { ...stats, total: Object.values(stats).reduce((a, b) => a + b, 0) };
  }

  async reclaimExpired(): Promise<number> {
    this.ctx.assertOpen();
    this.core.recoverTransient();
    return this.core.reclaimExpired();
  }

  /** Lease currently recorded for a running task (for tests and tools). */
  leaseOf(id: string): LeaseRecord | undefined {
    const name = findLeaseFiles(this.core.p.leased, id)[0];
    return name ? (readLease(join(this.core.p.leased, name)) ?? undefined) : undefined;
  }
}

function dependenciesOf(spec: TaskSpec): string[] {
  return [...new Set([...(spec.dependencies ?? []), ...(spec.conditions ?? []).map((c) => c.task)])];
}

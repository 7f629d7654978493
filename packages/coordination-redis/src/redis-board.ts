import { randomUUID } from 'node:crypto';
import {
  BackendError,
  ClaimOptionsSchema,
  InvalidArgumentError,
  JsonValueSchema,
  LeaseLostError,
  NotFoundError,
  TaskSpecSchema,
  TaskStatusSchema,
  type BoardStats,
  type BoardV1,
  type ClaimOptions,
  type JsonValue,
  type Task,
  type TaskClaimV1,
  type TaskFailure,
  type TaskSpec,
  type TaskStatus,
} from '@agentmux/core';
import { z } from 'zod';
import { ADD, CLAIM, COMPLETE, DUMP, FAIL, HEARTBEAT, RECLAIM } from './board-scripts.js';
import { dependenciesOf, queueName, toTask, type StoredSpec, type TaskDump } from './board-records.js';
import { BACKEND_ID, asNumber, type RedisContext } from './redis-context.js';
import { checkName, parseOrThrow } from './validate.js';

const STATUSES = TaskStatusSchema.options;
const RECLAIM_BATCH = 500;
const LeaseMsSchema = z.number().int().min(1);
const FailureSchema = z.union([z.string().min(1), z.object({ message: z.string().min(1), code: z.string().min(1).optional() })]);
const ListOptionsSchema = z.object({ status: TaskStatusSchema.optional(), limit: z.number().int().min(0).optional() });

/** A claim held by this process. */
class RedisTaskClaim implements TaskClaimV1 {
  constructor(
    private readonly board: RedisBoard,
    readonly task: Task,
    readonly token: string,
    readonly attempt: number,
    public expiresAt: number,
    private readonly leaseMs: number,
  ) {}

  async heartbeat(leaseMs?: number): Promise<void> {
    this.expiresAt = await this.board.extendLease(this.task.id, this.token, leaseMs ?? this.leaseMs);
  }

  complete(result?: JsonValue): Promise<Task> {
    return this.board.complete(this.task.id, this.token, result);
  }

  fail(error: TaskFailure, options?: { retry?: boolean }): Promise<Task> {
    return this.board.fail(this.task.id, this.token, error, options);
  }
}

/**
 * The task board on Redis. Every state change is one Lua script (atomic): `add` validates and inserts a batch,
 * `claim` reclaims expired leases then pops the best eligible ready task and writes its lease,
 * `complete`/`fail`/`heartbeat` check the claim token (fencing) and promote or skip dependents.
 */
export class RedisBoard implements BoardV1 {
  readonly specificationVersion = 'v1' as const;
  private readonly prefix: string;

  constructor(private readonly ctx: RedisContext) {
    this.prefix = ctx.key('board', '');
  }

  async add(tasks: TaskSpec | readonly TaskSpec[]): Promise<Task[]> {
    const input: readonly unknown[] = Array.isArray(tasks) ? tasks : [tasks];
    if (input.length === 0) return [];
    const specs = input.map((t, i) =>
      parseOrThrow(TaskSpecSchema, t, `tasks[${i}]`, 'pass { id, title, payload?, priority?, dependencies?, role?, labels?, conditions?, maxAttempts? }'),
    );
    const args: (string | number)[] = [this.prefix, specs.length];
    specs.forEach((spec, i) => {
      const deps = dependenciesOf(spec);
      if (deps.includes(spec.id)) {
        throw new InvalidArgumentError(`tasks[${i}].dependencies`, `task "${spec.id}" depends on itself`, 'remove the self-dependency');
      }
      const labels = [...new Set(spec.labels ?? [])].sort();
      const stored: StoredSpec = {
        id: spec.id,
        title: spec.title,
        ...(spec.payload !== undefined ? { payload: spec.payload } : {}),
        priority: spec.priority ?? 0,
        dependencies: deps,
        ...(spec.role !== undefined ? { role: spec.role } : {}),
        labels,
        conditions: spec.conditions ?? [],
        maxAttempts: spec.maxAttempts ?? 3,
      };
      args.push(spec.id, JSON.stringify(stored), JSON.stringify(deps), JSON.stringify(stored.conditions));
      args.push(queueName(spec.role, labels), stored.priority, stored.maxAttempts);
    });
    const reply = (await this.ctx.run(ADD, [], args)) as [string, ...unknown[]];
    if (reply[0] === 'invalid') {
      throw new InvalidArgumentError(String(reply[1]), String(reply[2]), 'use unique new ids, and add dependencies first (earlier in the call or before)');
    }
    return (reply[1] as TaskDump[]).map(toTask);
  }

  async claim(options: ClaimOptions): Promise<TaskClaimV1 | null> {
    const opts = parseOrThrow(ClaimOptionsSchema, options, 'options', 'pass { worker, leaseMs, role?, labels? }');
    const token = randomUUID();
    const labels = [...new Set(opts.labels ?? [])].join(',');
    const reply = (await this.ctx.run(CLAIM, [], [this.prefix, token, opts.worker, opts.leaseMs, opts.role ?? '', labels])) as TaskDump | null;
    if (!reply) return null;
    const task = toTask(reply);
    const lease = task.lease;
    if (!lease) throw new BackendError(BACKEND_ID, 'board-claim', `claimed task ${task.id} has no lease`);
    return new RedisTaskClaim(this, task, token, lease.attempt, Date.parse(lease.expiresAt), opts.leaseMs);
  }

  async heartbeat(id: string, token: string, leaseMs?: number): Promise<void> {
    await this.extendLease(id, token, leaseMs);
  }

  /** Extends a lease; returns the new end (epoch ms). */
  async extendLease(id: string, token: string, leaseMs?: number): Promise<number> {
    this.checkIdToken(id, token);
    const ms = leaseMs === undefined ? '' : parseOrThrow(LeaseMsSchema, leaseMs, 'leaseMs', 'pass a positive integer of ms');
    const reply = (await this.ctx.run(HEARTBEAT, [], [this.prefix, id, token, ms])) as unknown[];
    this.throwIfRejected(reply, id, token);
    return asNumber(reply[1]);
  }

  async complete(id: string, token: string, result?: JsonValue): Promise<Task> {
    this.checkIdToken(id, token);
    const value = result === undefined ? undefined : parseOrThrow(JsonValueSchema, result, 'result', 'pass a JSON-serialisable value');
    const args = [this.prefix, id, token, value === undefined ? '0' : '1', value === undefined ? '' : JSON.stringify(value)];
    const reply = (await this.ctx.run(COMPLETE, [], args)) as unknown[];
    this.throwIfRejected(reply, id, token);
    return toTask(reply[1] as TaskDump);
  }

  async fail(id: string, token: string, error: TaskFailure, options: { retry?: boolean } = {}): Promise<Task> {
    this.checkIdToken(id, token);
    const failure = parseOrThrow(FailureSchema, error, 'error', 'pass a message or { message, code? }');
    const { message, code } = typeof failure === 'string' ? { message: failure, code: undefined } : failure;
    const retry = options.retry === false ? '0' : '1';
    const reply = (await this.ctx.run(FAIL, [], [this.prefix, id, token, message, code ?? '', retry])) as unknown[];
    this.throwIfRejected(reply, id, token);
    return toTask(reply[1] as TaskDump);
  }

  async get(id: string): Promise<Task> {
    checkName(id, 'id');
    const [task] = await this.dump([id]);
    if (!task) throw new NotFoundError('task', id, 'List tasks with board.list().');
    return task;
  }

  async list(options: { status?: TaskStatus; limit?: number } = {}): Promise<Task[]> {
    const opts = parseOrThrow(ListOptionsSchema, options, 'options', 'pass { status?, limit? }');
    if (opts.limit === 0) return [];
    const key = opts.status === undefined ? `${this.prefix}ids` : `${this.prefix}status:${opts.status}`;
    const ids = await this.ctx.call('board-list', (c) =>
      opts.limit === undefined ? c.zrangebylex(key, '-', '+') : c.zrangebylex(key, '-', '+', 'LIMIT', 0, opts.limit),
    );
    const tasks: Task[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      for (const task of await this.dump(ids.slice(i, i + 500))) if (task) tasks.push(task);
    }
    return tasks;
  }

  async stats(): Promise<BoardStats> {
    const counts = await this.ctx.call('board-stats', async (c) => {
      const multi = c.multi();
      for (const s of STATUSES) multi.zcard(`${this.prefix}status:${s}`);
      const replies = (await multi.exec()) ?? [];
      return replies.map(([err, n]) => {
        if (err) throw err;
        return Number(n);
      });
    });
    const stats: BoardStats = { blocked: 0, ready: 0, running: 0, done: 0, dead: 0, skipped: 0, total: 0 };
    STATUSES.forEach((s, i) => {
      stats[s] = counts[i] ?? 0;
      stats.total += counts[i] ?? 0;
    });
    return stats;
  }

  async reclaimExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = asNumber(await this.ctx.run(RECLAIM, [], [this.prefix, RECLAIM_BATCH]));
      total += n;
      if (n < RECLAIM_BATCH) return total;
    }
  }

  private async dump(ids: readonly string[]): Promise<(Task | undefined)[]> {
    if (ids.length === 0) return [];
    const reply = (await this.ctx.run(DUMP, [], [this.prefix, ...ids])) as (TaskDump | null)[];
    return ids.map((_, i) => {
      const d = reply[i];
      return d ? toTask(d) : undefined;
    });
  }

  private checkIdToken(id: string, token: string): void {
    checkName(id, 'id');
    if (typeof token !== 'string' || token.length === 0) {
      throw new InvalidArgumentError('token', 'must be the non-empty claim token', 'pass claim.token from board.claim()');
    }
  }

  private throwIfRejected(reply: unknown[], id: string, token: string): void {
    if (reply[0] === 'ok') return;
    if (reply[0] === 'not-found') throw new NotFoundError('task', id, 'List tasks with board.list().');
    const status = typeof reply[1] === 'string' ? reply[1] : 'unknown';
    throw new LeaseLostError(
      `task:${id}`,
      token,
      status === 'running'
        ? 'The lease expired and the task was claimed again; stop working on it.'
        : `The task is now ${status}; this claim no longer holds it (reclaimed or already finished).`,
    );
  }
}

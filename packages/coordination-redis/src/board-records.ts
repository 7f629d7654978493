import type { JsonValue, Task, TaskCondition, TaskError, TaskSpec, TaskStatus } from '@agentmux/core';
import { iso } from './validate.js';

/** The immutable part of a task, stored as the caller's JSON (`spec` field); Lua never rewrites it. */
export interface StoredSpec {
  id: string;
  title: string;
  payload?: JsonValue;
  priority: number;
  dependencies: string[];
  role?: string;
  labels: string[];
  conditions: TaskCondition[];
  maxAttempts: number;
}

/** Dependencies including the tasks named by conditions, without duplicates. */
export function dependenciesOf(spec: TaskSpec): string[] {
  return [...new Set([...(spec.dependencies ?? []), ...(spec.conditions ?? []).map((c) => c.task)])];
}

/** The ready-queue a task goes to: `<role>|<sorted labels>` (names cannot contain `|` or `,`). */
export function queueName(role: string | undefined, labels: readonly string[]): string {
  return `${role ?? ''}|${labels.join(',')}`;
}

/** What a Lua `dump(id)` returns: HGETALL pairs and the raw error list. */
export type TaskDump = [string[], string[]];

function pairs(flat: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

function parseError(raw: string): TaskError {
  const e = JSON.parse(raw) as { message: string; code?: string; attempt: number; at: number };
  return { message: e.message, ...(e.code !== undefined ? { code: e.code } : {}), attempt: e.attempt, at: iso(e.at) };
}

/** Turns a Lua dump into a `Task`. */
export function toTask(dump: TaskDump): Task {
  const h = pairs(dump[0]);
  const spec = JSON.parse(h.spec ?? '{}') as StoredSpec;
  const task: Task = {
    id: spec.id,
    title: spec.title,
    ...(spec.payload !== undefined ? { payload: spec.payload } : {}),
    priority: spec.priority,
    dependencies: spec.dependencies,
    ...(spec.role !== undefined ? { role: spec.role } : {}),
    labels: spec.labels,
    conditions: spec.conditions,
    maxAttempts: spec.maxAttempts,
    status: h.status as TaskStatus,
    failedAttempts: Number(h.failedAttempts ?? 0),
    createdAt: iso(Number(h.createdAt)),
    updatedAt: iso(Number(h.updatedAt)),
    errors: dump[1].map(parseError),
  };
  if (h.leaseToken !== undefined) {
    task.lease = {
      token: h.leaseToken,
      worker: h.leaseWorker ?? '',
      attempt: Number(h.leaseAttempt),
      claimedAt: iso(Number(h.leaseClaimedAt)),
      expiresAt: iso(Number(h.leaseExpiresAt)),
    };
  }
  if (h.result !== undefined) task.result = JSON.parse(h.result) as JsonValue;
  if (h.completedBy !== undefined) task.completedBy = h.completedBy;
  if (h.skipReason !== undefined) task.skipReason = h.skipReason;
  return task;
}

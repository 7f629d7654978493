import { closeSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Task, TaskLease, TaskStatus, TaskSpec } from '../../spec/coordination/board-task.js';
import type { JsonValue } from '../../spec/coordination/names.js';
import {
  HOST,
  appendLine,
  ensureDir,
  errnoCode,
  parseFirstLineJson,
  readTextIfExists,
  uniqueSuffix,
  writeFileAtomic,
  writeFully,
} from './fs-utils.js';

/** Task record stored in `board/tasks/<id>.json`: the spec with defaults, history and queue placement. */
export interface TaskRecord {
  id: string;
  title: string;
  payload?: JsonValue;
  priority: number;
  dependencies: string[];
  role?: string;
  labels: string[];
  conditions: TaskSpec['conditions'] & object;
  maxAttempts: number;
  failedAttempts: number;
  createdAt: string;
  updatedAt: string;
  errors: Task['errors'];
  skipReason?: string;
  /** Ready-queue directory name (derived from role and labels). */
  queue: string;
  /** Sort key of the ready entry: priority, then add time. */
  key: string;
  /** Token of the last failed/reclaimed claim (keeps recovery idempotent). */
  lastFailedToken?: string;
}

/** Lease content of `board/leased/<id>@<token>`. */
export interface LeaseRecord {
  token: string;
  worker: string;
  attempt: number;
  claimedAt: number;
  expiresAt: number;
  leaseMs: number;
}

/** Directories of the board, one per task state plus the indexes. */
export interface BoardPaths {
  root: string;
  tasks: string;
  blocked: string;
  ready: string;
  qlog: string;
  leased: string;
  limbo: string;
  done: string;
  dead: string;
  skipped: string;
  waiters: string;
  journal: string;
}

export function boardPaths(root: string): BoardPaths {
  const r = join(root, 'board');
  return {
    root: r,
    tasks: join(r, 'tasks'),
    blocked: join(r, 'blocked'),
    ready: join(r, 'ready'),
    qlog: join(r, 'qlog'),
    leased: join(r, 'leased'),
    limbo: join(r, 'limbo'),
    done: join(r, 'done'),
    dead: join(r, 'dead'),
    skipped: join(r, 'skipped'),
    waiters: join(r, 'waiters'),
    journal: join(r, 'journal.jsonl'),
  };
}

export function ensureBoardDirs(p: BoardPaths): void {
  for (const dir of [p.tasks, p.blocked, p.ready, p.qlog, p.leased, p.limbo, p.done, p.dead, p.skipped, p.waiters]) {
    ensureDir(dir);
  }
}

/** Queue directory name for a role and labels: `any`, `role=x`, `any+a,b`, `role=x+a,b`. */
export function queueName(role: string | undefined, labels: readonly string[]): string {
  const base = role === undefined ? 'any' : `role=${role}`;
  return labels.length > 0 ? `${base}+${[...labels].sort().join(',')}` : base;
}

/** Whether a worker with `role` and `labels` may take tasks from queue `queue`. */
export function queueEligible(queue: string, role: string | undefined, labels: ReadonlySet<string>): boolean {
  const plus = queue.indexOf('+');
  const base = plus === -1 ? queue : queue.slice(0, plus);
  if (base !== 'any' && base !== `role=${role ?? ''}`) return false;
  if (base !== 'any' && role === undefined) return false;
  if (plus === -1) return true;
  return queue
    .slice(plus + 1)
    .split(',')
    .every((l) => labels.has(l));
}

let keyCounter = 0;
/** Sort key: higher priority first, then earlier add time; unique within this process. */
export function sortKey(priority: number): string {
  keyCounter = (keyCounter + 1) % 1_679_616; // 36^4
  const p = String(1_000_000 - priority).padStart(7, '0');
  const t = String(Date.now()).padStart(14, '0');
  return `${p}.${t}.${keyCounter.toString(36).padStart(4, '0')}${(process.pid % 1296).toString(36).padStart(2, '0')}`;
}

/** Ready entry file name. */
export function readyEntry(record: Pick<TaskRecord, 'key' | 'id'>): string {
  return `${record.key}~${record.id}`;
}

export function idOfEntry(entry: string): string {
  return entry.slice(entry.indexOf('~') + 1);
}

/** Short tag of this host, embedded in claim tokens (for pid-liveness checks). */
export const HOST_TAG = createHash('sha1').update(HOST).digest('hex').slice(0, 8);

/** A claim token: `<hostTag>.<pid>.<unique>`. */
export function newClaimToken(): string {
  return `${HOST_TAG}.${process.pid}.${uniqueSuffix().split('-').slice(1).join('')}`;
}

/** Host tag and pid encoded in a token. */
export function tokenOwner(token: string): { hostTag: string; pid: number } | undefined {
  const [hostTag, pid] = token.split('.');
  const n = Number(pid);
  return hostTag && Number.isInteger(n) ? { hostTag, pid: n } : undefined;
}

export function leaseFile(id: string, token: string): string {
  return `${id}@${token}`;
}

export function splitLeaseFile(name: string): { id: string; token: string } | undefined {
  const at = name.lastIndexOf('@');
  if (at <= 0 || name.includes('.tmp-')) return undefined;
  return { id: name.slice(0, at), token: name.slice(at + 1) };
}

/** Reads a task record, or undefined when absent. */
export function readRecord(p: BoardPaths, id: string): TaskRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(p.tasks, `${id}.json`), 'utf8')) as TaskRecord;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

export function writeRecord(p: BoardPaths, record: TaskRecord, fsync: boolean): void {
  writeFileAtomic(join(p.tasks, `${record.id}.json`), `${JSON.stringify(record, null, 1)}\n`, fsync);
}

/** Completion written into the token file before it moves to `done/` (first line of the file). */
export interface CompletionRecord {
  completed: true;
  token: string;
  worker: string;
  at: number;
  result?: JsonValue;
}

/**
 * Reads the first line of a token file as JSON: undefined when the file is absent, null when it has no
 * JSON yet. Token files are rewritten in place (no truncate, no new inode), so only the first line counts.
 */
export function readTokenFile(path: string): Record<string, unknown> | null | undefined {
  const text = readTextIfExists(path);
  if (text === undefined) return undefined;
  const value = parseFirstLineJson(text);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/** Reads a lease file's content; undefined when absent, null when still empty (claimer crashed mid-claim). */
export function readLease(path: string): LeaseRecord | null | undefined {
  const value = readTokenFile(path);
  if (value === undefined) return undefined;
  return value && typeof value.expiresAt === 'number' ? (value as unknown as LeaseRecord) : null;
}

/** The completion in a `leased/` or `done/` token file, if written. */
export function readCompletion(path: string): CompletionRecord | undefined {
  const value = readTokenFile(path);
  return value && value.completed === true ? (value as unknown as CompletionRecord) : undefined;
}

/**
 * Writes one JSON line into an existing token file in place (never creates it). Returns false when it is
 * gone. One `write` of the whole line: a crash leaves the old or the new first line.
 */
export function writeTokenFile(path: string, value: LeaseRecord | CompletionRecord): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
  try {
    writeFully(fd, `${JSON.stringify(value)}\n`, 0);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Writes lease content into an existing lease file. */
export function writeLease(path: string, lease: LeaseRecord): boolean {
  return writeTokenFile(path, lease);
}

/** ctime of a file in ms, or undefined. */
export function ctimeMs(path: string): number | undefined {
  try {
    return statSync(path).ctimeMs;
  } catch {
    return undefined;
  }
}

/** readdir that returns [] for a missing directory and skips temp files. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.includes('.tmp-'));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
}

/** Finds the lease-like files (`<id>@<token>`) of one task in a directory. */
export function findLeaseFiles(dir: string, id: string): string[] {
  const prefix = `${id}@`;
  return listDir(dir).filter((n) => n.startsWith(prefix));
}

/** Converts a stored record to the public Task shape. */
export function toTask(record: TaskRecord, status: TaskStatus, lease?: LeaseRecord, completion?: CompletionRecord): Task {
  const task: Task = {
    id: record.id,
    title: record.title,
    priority: record.priority,
    dependencies: record.dependencies,
    labels: record.labels,
    conditions: record.conditions,
    maxAttempts: record.maxAttempts,
    status,
    failedAttempts: record.failedAttempts,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    errors: record.errors,
  };
  if (record.payload !== undefined) task.payload = record.payload;
  if (record.role !== undefined) task.role = record.role;
  if (status === 'running' && lease) task.lease = toTaskLease(lease);
  if (status === 'done' && completion) {
    if (completion.result !== undefined) task.result = completion.result;
    task.completedBy = completion.worker;
    task.updatedAt = new Date(completion.at).toISOString();
  }
  if (record.skipReason !== undefined && status === 'skipped') task.skipReason = record.skipReason;
  return task;
}

export function toTaskLease(lease: LeaseRecord): TaskLease {
  return {
    token: lease.token,
    worker: lease.worker,
    attempt: lease.attempt,
    claimedAt: new Date(lease.claimedAt).toISOString(),
    expiresAt: new Date(lease.expiresAt).toISOString(),
  };
}

/** Append-only board journal (`board/journal.jsonl`), one JSON object per line. */
export class BoardJournal {
  private fd: number | undefined;
  constructor(
    private readonly path: string,
    private readonly fsync: boolean,
  ) {}

  write(type: string, fields: Record<string, JsonValue | undefined>): void {
    if (this.fd === undefined) {
      ensureDir(join(this.path, '..'));
      this.fd = openSync(this.path, 'a');
    }
    appendLine(this.fd, JSON.stringify({ time: new Date().toISOString(), type, ...fields }), this.fsync);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

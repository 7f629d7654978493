import { closeSync, existsSync, linkSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TimeoutError } from '../../errors/timeout-error.js';
import {
  LockAcquireOptionsSchema,
  type LockAcquireOptions,
  type LockInfo,
  type LockServiceV1,
  type LockV1,
} from '../../spec/coordination/lock-v1.js';
import { Backoff } from './dir-watcher.js';
import type { FileContext } from './file-context.js';
import { throwIfAborted } from './file-context.js';
import {
  HOST,
  ensureDir,
  errnoCode,
  isPidAlive,
  parseFirstLineJson,
  readTextIfExists,
  safeUnlink,
  sleep,
  tryRename,
  uniqueSuffix,
  writeFully,
} from './fs-utils.js';
import { FenceCounters } from './fence-counters.js';
import { FileLock } from './file-lock-handle.js';
import { checkName, parseOrThrow } from './validate.js';

/** Content of `locks/held/<name>.lock` (first line: JSON, readable with `cat`/`jq`). */
export interface LockRecord {
  name: string;
  owner: string;
  /** Fencing token; 0 for the instant between the link and the counter update. */
  token: number;
  pid: number;
  host: string;
  acquiredAt: number;
  expiresAt: number;
  /** The holder's candidate file name in `locks/cand/` (removed when a dead holder's lock is broken). */
  cand: string;
}

/** A lock file that cannot be parsed counts as fresh this long (then as stale). */
const EMPTY_GRACE_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_CANDIDATES = 256;

function isRecord(value: unknown): value is LockRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.token === 'number' && typeof r.expiresAt === 'number' && typeof r.pid === 'number';
}

/** One line of JSON; readers only parse the first line, so stale bytes after it never matter. */
function encode(record: LockRecord): string {
  return `${JSON.stringify(record)}\n`;
}

interface Candidate {
  file: string;
  path: string;
  fd: number;
}

/**
 * File locks. Creating and deleting inodes is the slow part of a file system (0.5 ms here on ext4), so a
 * grant never creates one: each process keeps a candidate file per lock name in `locks/cand/`, writes its
 * record into it, and acquires by hard-linking it to `locks/held/<name>.lock` (`link` fails with EEXIST
 * while someone holds it). Release = one `unlink` of the link. Fencing counters live in `locks/fence/`.
 * Waiters are nudged by `fs.watch` on `held/` and poll with backoff (1–25 ms) as a fallback.
 */
export class FileLockService implements LockServiceV1 {
  readonly specificationVersion = 'v1' as const;
  private readonly heldDir: string;
  private readonly candDir: string;
  private readonly fences: FenceCounters;
  private readonly live = new Set<FileLock>();
  /** Grants this instance holds, by name: their candidate is the held inode, so it must not be rewritten. */
  private readonly heldByName = new Map<string, FileLock>();
  private readonly candidates = new Map<string, Candidate>();

  constructor(private readonly ctx: FileContext) {
    this.heldDir = join(ctx.root, 'locks', 'held');
    this.candDir = join(ctx.root, 'locks', 'cand');
    this.fences = new FenceCounters(join(ctx.root, 'locks', 'fence'));
  }

  path(name: string): string {
    return join(this.heldDir, `${name}.lock`);
  }

  async acquire(name: string, options: LockAcquireOptions): Promise<LockV1> {
    this.ctx.assertOpen();
    checkName(name, 'name');
    const opts = quickOptions(options) ?? parseOrThrow(LockAcquireOptionsSchema, options, 'options', 'pass { ttlMs: <positive integer>, timeoutMs?: <ms> }');
    const owner = opts.owner ?? `pid:${process.pid}`;
    const first = this.attempt(name, opts.ttlMs, owner);
    if (first) return first;
    return this.waitFor(name, opts.ttlMs, owner, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.signal);
  }

  async tryAcquire(name: string, options: Omit<LockAcquireOptions, 'timeoutMs' | 'signal'>): Promise<LockV1 | null> {
    this.ctx.assertOpen();
    checkName(name, 'name');
    const opts = parseOrThrow(LockAcquireOptionsSchema, options, 'options', 'pass { ttlMs: <positive integer> }');
    return this.attempt(name, opts.ttlMs, opts.owner ?? `pid:${process.pid}`);
  }

  async inspect(name: string): Promise<LockInfo | null> {
    this.ctx.assertOpen();
    checkName(name, 'name');
    const record = this.read(this.path(name));
    if (!record || record === 'empty' || this.isStale(record)) return null;
    return {
      name,
      owner: record.owner,
      token: record.token,
      pid: record.pid,
      host: record.host,
      acquiredAt: new Date(record.acquiredAt).toISOString(),
      expiresAt: new Date(record.expiresAt).toISOString(),
    };
  }

  /** Releases every lock still held through this backend and closes files (on dispose). */
  async releaseAll(): Promise<void> {
    for (const lock of [...this.live]) await lock.release();
    this.fences.close();
    for (const c of this.candidates.values()) {
      closeSync(c.fd);
      safeUnlink(c.path);
    }
    this.candidates.clear();
  }

  /**
   * Removes candidate files left by crashed processes (`<name>.<pid>-<nonce>-<n>` with a dead pid on this
   * host and no other link, i.e. not holding the lock).
   */
  recover(): void {
    let files: string[];
    try {
      files = readdirSync(this.candDir);
    } catch {
      return;
    }
    for (const file of files) {
      const m = /\.(\d+)-[0-9a-f]+-[0-9a-z]+$/.exec(file);
      if (!m || isPidAlive(Number(m[1]))) continue;
      const path = join(this.candDir, file);
      try {
        if (statSync(path).nlink === 1) safeUnlink(path);
      } catch {
        // gone already
      }
    }
  }

  forget(lock: FileLock): void {
    this.live.delete(lock);
    if (this.heldByName.get(lock.name) === lock) this.heldByName.delete(lock.name);
  }

  /** Rewrites the record in this process's candidate of `name` (the held inode while we hold it). */
  writeRecord(record: LockRecord): void {
    const cand = this.candidates.get(record.name);
    if (!cand) throw new Error(`no candidate file for lock ${record.name}`);
    writeFully(cand.fd, encode(record), 0);
  }

  /**
   * Waits for the lock. Barging (not FIFO): a releasing process may take it again before a waiter wakes;
   * `timeoutMs` bounds every wait. Short waits poll with backoff (1-16 ms, no watcher: under heavy
   * contention a watch event per grant would cost more CPU than the grants); waits longer than 100 ms also
   * listen to `fs.watch` on `held/` so a release wakes them at once, at most every 2 ms.
   */
  private async waitFor(name: string, ttlMs: number, owner: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<LockV1> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    const backoff = new Backoff(1, 16);
    const path = this.path(name);
    const file = `${name}.lock`;
    const waitSignal = this.ctx.signal(signal);
    for (;;) {
      throwIfAborted(this.ctx, signal);
      const now = Date.now();
      const left = deadline - now;
      if (left <= 0) {
        const holder = this.read(path);
        const who = holder && holder !== 'empty' ? `Held by ${holder.owner} (pid ${holder.pid} on ${holder.host}). ` : '';
        throw new TimeoutError(`lock:${name}`, timeoutMs, `${who}Raise timeoutMs or find the holder with inspect().`);
      }
      const delay = Math.min(left, backoff.next());
      if (now - started < 100) {
        await sleep(delay, waitSignal);
      } else {
        const nudged = await this.ctx.watchers.nudge(this.heldDir, (f) => f === file, delay, waitSignal);
        // A nudge is often the holder's own re-link: check cheaply, then pause briefly.
        if (nudged && existsSync(path)) {
          await sleep(2, waitSignal);
          continue;
        }
      }
      throwIfAborted(this.ctx, signal);
      const lock = this.attempt(name, ttlMs, owner);
      if (lock) return lock;
    }
  }

  private candidate(name: string): Candidate {
    const existing = this.candidates.get(name);
    if (existing) return existing;
    ensureDir(this.candDir);
    const file = `${name}.${uniqueSuffix()}`;
    const path = join(this.candDir, file);
    const fd = openSync(path, 'w+');
    if (this.candidates.size >= MAX_CANDIDATES) {
      for (const [key, c] of this.candidates) {
        if ([...this.live].some((l) => l.name === key)) continue;
        closeSync(c.fd);
        safeUnlink(c.path);
        this.candidates.delete(key);
        break;
      }
    }
    const cand = { file, path, fd };
    this.candidates.set(name, cand);
    return cand;
  }

  /** One attempt: link our candidate to the lock name, breaking a stale holder first. */
  private attempt(name: string, ttlMs: number, owner: string): FileLock | null {
    const path = this.path(name);
    const mine = this.heldByName.get(name);
    if (mine) {
      // Our own candidate is (or was) the held inode: never rewrite it while that grant is valid.
      if (Date.now() <= mine.expiresAt) return null;
      const seen = this.read(path);
      if (seen && seen !== 'empty' && seen.token === mine.token && this.isStale(seen)) this.breakStale(path, seen);
      this.heldByName.delete(name);
      if (this.read(path) !== undefined && statSafe(path) === statSafe(this.candidate(name).path)) return null;
    }
    const cand = this.candidate(name);
    for (let round = 0; round < 3; round += 1) {
      const now = Date.now();
      const record: LockRecord = { name, owner, token: 0, pid: process.pid, host: HOST, acquiredAt: now, expiresAt: now + ttlMs, cand: cand.file };
      writeFully(cand.fd, encode(record), 0);
      try {
        linkSync(cand.path, path);
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'ENOENT') {
          ensureDir(this.heldDir);
          continue;
        }
        if (code !== 'EEXIST') throw error;
        const seen = this.read(path);
        if (seen === undefined) continue; // released meanwhile: retry at once
        if (seen === 'empty' ? !this.emptyIsStale(path) : !this.isStale(seen)) return null;
        this.breakStale(path, seen);
        continue;
      }
      try {
        record.token = this.fences.next(name);
        writeFully(cand.fd, encode(record), 0);
      } catch (error) {
        safeUnlink(path);
        throw error;
      }
      const lock = new FileLock(this, record, path, ttlMs);
      this.live.add(lock);
      this.heldByName.set(name, lock);
      return lock;
    }
    return null;
  }

  /** The record in `path`: undefined when absent, `'empty'` when unreadable. */
  read(path: string): LockRecord | 'empty' | undefined {
    const text = readTextIfExists(path);
    if (text === undefined) return undefined;
    const value = parseFirstLineJson(text);
    return isRecord(value) ? value : 'empty';
  }

  isStale(record: LockRecord): boolean {
    if (Date.now() > record.expiresAt) return true;
    return record.host === HOST && !isPidAlive(record.pid);
  }

  private emptyIsStale(path: string): boolean {
    try {
      return Date.now() - statSync(path).mtimeMs > EMPTY_GRACE_MS;
    } catch {
      return false;
    }
  }

  /**
   * Removes a stale lock link without ever removing a fresh one: rename it aside, check that the renamed
   * entry is the same inode and still stale, then delete it; otherwise put it back.
   */
  private breakStale(path: string, seen: LockRecord | 'empty'): void {
    let inode: number;
    try {
      inode = statSync(path).ino;
    } catch {
      return;
    }
    const aside = `${path}.stale-${uniqueSuffix()}`;
    if (!tryRename(path, aside)) return;
    let same = false;
    let now: LockRecord | 'empty' | undefined;
    try {
      now = this.read(aside);
      same =
        statSync(aside).ino === inode &&
        (seen === 'empty'
          ? now === 'empty' || (now !== undefined && this.isStale(now))
          : now !== undefined && now !== 'empty' && now.token === seen.token && this.isStale(now));
    } catch {
      same = false;
    }
    if (!same) {
      try {
        linkSync(aside, path);
      } catch {
        // A new holder already took the name: nothing to restore.
      }
    } else if (now && now !== 'empty' && now.host === HOST && !isPidAlive(now.pid) && /^[^/]+$/.test(now.cand)) {
      safeUnlink(join(this.candDir, now.cand)); // the dead holder's candidate file
    }
    safeUnlink(aside);
  }
}

/** The common, valid options without zod (hot path); undefined sends the value through the schema. */
function quickOptions(o: LockAcquireOptions): { ttlMs: number; timeoutMs?: number; owner?: string } | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const { ttlMs, timeoutMs, owner } = o;
  if (!Number.isInteger(ttlMs) || ttlMs < 1) return undefined;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 0)) return undefined;
  if (owner !== undefined && (typeof owner !== 'string' || owner.length === 0 || owner.length > 200)) return undefined;
  return o;
}

function statSafe(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

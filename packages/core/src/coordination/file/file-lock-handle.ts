import { linkSync } from 'node:fs';
import { LeaseLostError } from '../../errors/lease-lost-error.js';
import { LockAcquireOptionsSchema, type LockV1 } from '../../spec/coordination/lock-v1.js';
import type { FileLockService, LockRecord } from './file-locks.js';
import { HOST, safeUnlink, tryRename, uniqueSuffix } from './fs-utils.js';
import { parseOrThrow } from './validate.js';

/** A granted file lock (see `FileLockService`). */
export class FileLock implements LockV1 {
  private released = false;

  constructor(
    private readonly service: FileLockService,
    private record: LockRecord,
    private readonly path: string,
    private readonly ttlMs: number,
  ) {}

  get name(): string {
    return this.record.name;
  }
  get owner(): string {
    return this.record.owner;
  }
  get token(): number {
    return this.record.token;
  }
  get expiresAt(): number {
    return this.record.expiresAt;
  }

  private ours(): LockRecord | undefined {
    const current = this.service.read(this.path);
    if (!current || current === 'empty' || current.token !== this.record.token || current.host !== HOST || current.pid !== process.pid) {
      return undefined;
    }
    return current;
  }

  async extend(ttlMs = this.ttlMs): Promise<void> {
    if (!Number.isInteger(ttlMs) || ttlMs < 1) {
      parseOrThrow(LockAcquireOptionsSchema, { ttlMs }, 'extend', 'pass a positive integer ttlMs');
    }
    const current = this.released ? undefined : this.ours();
    if (!current || Date.now() > current.expiresAt) {
      throw new LeaseLostError(`lock:${this.name}`, String(this.token), 'The lease expired or was released; acquire the lock again.');
    }
    const next: LockRecord = { ...current, expiresAt: Date.now() + ttlMs };
    this.service.writeRecord(next);
    this.record = next;
  }

  async release(): Promise<boolean> {
    if (this.released) return false;
    this.released = true;
    this.service.forget(this);
    const margin = Math.min(1_000, Math.floor(this.ttlMs / 4));
    if (Date.now() < this.record.expiresAt - margin) {
      // Still well inside our lease and our pid is alive: nobody may have broken it. One unlink.
      return safeUnlink(this.path);
    }
    // Near or past expiry: only remove the file when it is still ours (rename aside + verify).
    if (!this.ours()) return false;
    const aside = `${this.path}.release-${uniqueSuffix()}`;
    if (!tryRename(this.path, aside)) return false;
    const moved = this.service.read(aside);
    if (moved && moved !== 'empty' && moved.token === this.record.token) {
      safeUnlink(aside);
      return true;
    }
    try {
      linkSync(aside, this.path);
    } catch {
      // someone else's lock file was replaced meanwhile; leave theirs
    }
    safeUnlink(aside);
    return false;
  }

  async isHeld(): Promise<boolean> {
    if (this.released) return false;
    const current = this.ours();
    return current !== undefined && Date.now() <= current.expiresAt;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }
}

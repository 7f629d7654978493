import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, errnoCode, writeFully } from './fs-utils.js';

const WIDTH = 20;
const MAX_OPEN = 256;

/**
 * Persistent fencing counters, one small file per lock name holding a JSON number padded to a fixed width
 * (`cat` shows it, `jq` parses it). Only the current lock holder updates a counter, so read-increment-write
 * needs no further locking; the fixed-width single `pwrite` never leaves a torn value after a crash.
 */
export class FenceCounters {
  private readonly fds = new Map<string, number>();

  constructor(private readonly dir: string) {}

  next(name: string): number {
    const fd = this.open(name);
    const buf = Buffer.alloc(WIDTH + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const current = n > 0 ? Number.parseInt(buf.subarray(0, n).toString('utf8').trim() || '0', 10) : 0;
    const next = (Number.isFinite(current) ? current : 0) + 1;
    writeFully(fd, `${String(next).padStart(WIDTH)}\n`, 0);
    return next;
  }

  private open(name: string): number {
    const cached = this.fds.get(name);
    if (cached !== undefined) return cached;
    const path = join(this.dir, name);
    let fd: number;
    try {
      fd = openSync(path, 'r+');
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
      ensureDir(this.dir);
      try {
        fd = openSync(path, 'wx+');
      } catch (again) {
        if (errnoCode(again) !== 'EEXIST') throw again;
        fd = openSync(path, 'r+');
      }
    }
    if (this.fds.size >= MAX_OPEN) {
      const [oldName, oldFd] = this.fds.entries().next().value as [string, number];
      closeSync(oldFd);
      this.fds.delete(oldName);
    }
    this.fds.set(name, fd);
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { appendLine, ensureDir, errnoCode } from './fs-utils.js';
import { listDir } from './board-store.js';

/**
 * One process's view of a ready queue (`board/ready/<queue>/`): a sorted list of entry names plus the offset
 * read so far in the queue's enqueue log (`board/qlog/<queue>.log`). The directory is the truth; the list is
 * a hint. Claiming = renaming the first entry; a failed rename (someone else was faster) just moves on.
 * New entries are picked up by reading the log's new bytes, so a claim never rescans the whole directory
 * unless the list ran dry.
 */
export class QueueCursor {
  private names: string[] = [];
  private pos = 0;
  private logFd: number | undefined;
  private logOffset = 0;
  private listedAt = 0;
  private readonly claimed: TailReader;
  /** Entries other processes claimed (from the claim log), skipped without a rename attempt. */
  private readonly taken = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly logPath: string,
  ) {
    this.claimed = new TailReader(`${logPath.slice(0, -'.log'.length)}.claimed`);
  }

  /** The best candidate entry name, or undefined when the queue looks empty. */
  head(): string | undefined {
    for (const name of this.claimed.lines()) this.taken.add(name);
    this.pullLog();
    if (this.pos >= this.names.length) this.relist();
    for (;;) {
      const name = this.names[this.pos];
      if (name === undefined || !this.taken.has(name)) return name;
      this.taken.delete(name);
      this.pos += 1;
      if (this.pos >= this.names.length) this.relist();
    }
  }

  /**
   * Under contention (our last rename lost the race), picks a random entry among the next `window` entries
   * of the head's priority instead of the head itself, so 16 claimers stop chasing the same entry.
   * Sequential claims (no contention) always take the head, keeping strict priority + add order.
   */
  pick(contended: boolean, window = 16): string | undefined {
    const head = this.head();
    if (!contended || head === undefined) return head;
    const priority = head.slice(0, head.indexOf('.'));
    let end = this.pos + 1;
    const limit = Math.min(this.names.length, this.pos + window);
    while (end < limit && this.names[end]?.startsWith(priority)) end += 1;
    return this.names[this.pos + Math.floor(Math.random() * (end - this.pos))];
  }

  /** Forgets an entry (claimed by us or by someone else). */
  drop(name: string): void {
    if (this.names[this.pos] === name) {
      this.pos += 1;
      return;
    }
    const limit = Math.min(this.names.length, this.pos + 64);
    for (let i = this.pos + 1; i < limit; i += 1) {
      if (this.names[i] === name) {
        this.names.splice(i, 1);
        return;
      }
    }
  }

  /** Forces a directory listing on the next `head()` (after an empty result, at most every 20 ms). */
  private relist(): void {
    const now = Date.now();
    if (now - this.listedAt < 20 && this.names.length > 0) return;
    this.listedAt = now;
    this.syncLogOffset();
    this.claimed.skipToEnd();
    this.taken.clear();
    this.names = listDir(this.dir).sort();
    this.pos = 0;
  }

  private openLog(): number | undefined {
    if (this.logFd !== undefined) return this.logFd;
    try {
      this.logFd = openSync(this.logPath, 'r');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    return this.logFd;
  }

  private syncLogOffset(): void {
    const fd = this.openLog();
    if (fd !== undefined) this.logOffset = fstatSync(fd).size;
  }

  /** Merges entries enqueued since the last look into the sorted list. */
  private pullLog(): void {
    const fd = this.openLog();
    if (fd === undefined) return;
    const size = fstatSync(fd).size;
    if (size <= this.logOffset) return;
    const buf = Buffer.alloc(size - this.logOffset);
    const n = readSync(fd, buf, 0, buf.length, this.logOffset);
    const text = buf.subarray(0, n).toString('utf8');
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) return;
    this.logOffset += Buffer.byteLength(text.slice(0, lastNewline + 1));
    const fresh = text.slice(0, lastNewline).split('\n').filter((l) => l.length > 0);
    if (fresh.length === 0) return;
    for (const name of fresh) this.taken.delete(name); // re-enqueued after a claim
    const rest = this.names.slice(this.pos);
    const merged = rest.concat(fresh).sort();
    // Drop adjacent duplicates (an entry both listed and logged).
    this.names = merged.filter((name, i) => i === 0 || merged[i - 1] !== name);
    this.pos = 0;
  }

  close(): void {
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
    this.claimed.close();
  }
}

/** Reads the lines appended to a file since the last call. */
class TailReader {
  private fd: number | undefined;
  private offset = 0;
  constructor(private readonly path: string) {}

  private open(): number | undefined {
    if (this.fd !== undefined) return this.fd;
    try {
      this.fd = openSync(this.path, 'r');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    return this.fd;
  }

  skipToEnd(): void {
    const fd = this.open();
    if (fd !== undefined) this.offset = fstatSync(fd).size;
  }

  lines(): string[] {
    const fd = this.open();
    if (fd === undefined) return [];
    const size = fstatSync(fd).size;
    if (size <= this.offset) return [];
    const buf = Buffer.alloc(size - this.offset);
    const n = readSync(fd, buf, 0, buf.length, this.offset);
    const text = buf.subarray(0, n).toString('utf8');
    const last = text.lastIndexOf('\n');
    if (last === -1) return [];
    this.offset += Buffer.byteLength(text.slice(0, last + 1));
    return text.slice(0, last).split('\n').filter((l) => l.length > 0);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Appends entry names to the queue logs (one O_APPEND write each): `<queue>.log` when an entry is enqueued,
 * `<queue>.claimed` when it is claimed. Both are hints that spare other claimers directory scans and lost
 * rename races; the directories stay the truth.
 */
export class QueueLogs {
  private readonly fds = new Map<string, number>();
  constructor(private readonly dir: string) {}

  append(queue: string, entry: string): void {
    this.write(`${queue}.log`, entry);
  }

  appendClaimed(queue: string, entry: string): void {
    this.write(`${queue}.claimed`, entry);
  }

  private write(file: string, entry: string): void {
    let fd = this.fds.get(file);
    if (fd === undefined) {
      ensureDir(this.dir);
      fd = openSync(join(this.dir, file), 'a');
      this.fds.set(file, fd);
    }
    appendLine(fd, entry, false);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

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

  constructor(
    private readonly dir: string,
    private readonly logPath: string,
  ) {}

  /** The best candidate entry name, or undefined when the queue looks empty. */
  head(): string | undefined {
    this.pullLog();
    if (this.pos >= this.names.length) this.relist();
    return this.names[this.pos];
  }

  /** Moves past the current head (claimed by us or by someone else). */
  advance(): void {
    this.pos += 1;
  }

  /** Forces a directory listing on the next `head()` (after an empty result, at most every 20 ms). */
  private relist(): void {
    const now = Date.now();
    if (now - this.listedAt < 20 && this.names.length > 0) return;
    this.listedAt = now;
    this.syncLogOffset();
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
    const rest = this.names.slice(this.pos);
    const merged = rest.concat(fresh).sort();
    // Drop adjacent duplicates (an entry both listed and logged).
    this.names = merged.filter((name, i) => i === 0 || merged[i - 1] !== name);
    this.pos = 0;
  }

  close(): void {
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
  }
}

/** Appends enqueued entry names to queue logs (one O_APPEND write each). */
export class QueueLogs {
  private readonly fds = new Map<string, number>();
  constructor(private readonly dir: string) {}

  append(queue: string, entry: string): void {
    let fd = this.fds.get(queue);
    if (fd === undefined) {
      ensureDir(this.dir);
      fd = openSync(join(this.dir, `${queue}.log`), 'a');
      this.fds.set(queue, fd);
    }
    appendLine(fd, entry, false);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

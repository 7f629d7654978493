import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';

let uniqueCounter = 0;
const processNonce = randomBytes(4).toString('hex');

/** A process-unique, collision-free suffix for temp files and tokens: `<pid>-<nonce>-<counter>`. */
export function uniqueSuffix(): string {
  uniqueCounter += 1;
  return `${process.pid}-${processNonce}-${uniqueCounter.toString(36)}`;
}

/** Writes all of `data` to `fd` (a single `write` may be partial), at `position` or the current offset. */
export function writeFully(fd: number, data: string, position: number | null = null): void {
  const buf = Buffer.from(data, 'utf8');
  let off = 0;
  while (off < buf.length) {
    off += writeSync(fd, buf, off, buf.length - off, position === null ? null : position + off);
  }
}

/** Options of {@link writeTempFileSync} and {@link writeFileAtomicSync}. */
export interface AtomicWriteOptions {
  /** fsync the data before it becomes visible, so it also survives a power loss (default false). */
  fsync?: boolean;
  /** File mode of a newly created file (default 0o666 before the umask). */
  mode?: number;
}

/**
 * Writes `data` into a new uniquely named temp file beside `path` (`<path>.tmp-<suffix>`; directory listings skip
 * names containing `.tmp-`) and returns its path; the caller renames or links it into place.
 */
export function writeTempFileSync(path: string, data: string, options: AtomicWriteOptions = {}): string {
  const tmp = `${path}.tmp-${uniqueSuffix()}`;
  const fd = openSync(tmp, 'wx', options.mode ?? 0o666);
  try {
    writeFully(fd, data);
    if (options.fsync) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw error;
  }
  closeSync(fd);
  return tmp;
}

/**
 * Writes `data` to `path` atomically: a temp file beside it, optional fsync, then rename over the target.
 * Readers see the old or the new content, never a mix; a crash leaves at most a stray temp file.
 */
export function writeFileAtomicSync(path: string, data: string, options: AtomicWriteOptions = {}): void {
  const tmp = writeTempFileSync(path, data, options);
  try {
    renameSync(tmp, path);
  } catch (error) {
    unlinkQuietly(tmp);
    throw error;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

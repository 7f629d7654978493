import { fdatasyncSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { writeFileAtomicSync, writeFully, writeTempFileSync } from '../../fs/atomic-write.js';

/** This host's name, as recorded in lock and lease files for pid-liveness checks. */
export const HOST = hostname();

export { uniqueSuffix, writeFully } from '../../fs/atomic-write.js';

/** The errno code of a Node fs error, or undefined. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/** True when `pid` names a live process on this host (EPERM counts as alive). */
export function isPidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/** `mkdir -p`, cached per process. */
const madeDirs = new Set<string>();
export function ensureDir(dir: string): void {
  if (madeDirs.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  madeDirs.add(dir);
}

/** Forget cached directories under `root` (used by tests that delete state dirs). */
export function forgetDirs(root: string): void {
  for (const dir of madeDirs) if (dir.startsWith(root)) madeDirs.delete(dir);
}

/** Writes `data` to `path` atomically (temp file + optional fsync + rename); see `writeFileAtomicSync`. */
export function writeFileAtomic(path: string, data: string, fsync = false): void {
  writeFileAtomicSync(path, data, { fsync });
}

/**
 * Creates `path` with `data` only if it does not exist yet, atomically (temp file + `link`, which fails with
 * EEXIST). Returns false when it already existed. Readers never see a partial file.
 */
export function createFileExclusive(path: string, data: string, fsync = false): boolean {
  const tmp = writeTempFileSync(path, data, { fsync });
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    safeUnlink(tmp);
  }
}

/** Appends one line with a single `write` (O_APPEND), then fdatasync when asked. */
export function appendLine(fd: number, line: string, fsync: boolean): void {
  writeFully(fd, line.endsWith('\n') ? line : `${line}\n`);
  if (fsync) fdatasyncSync(fd);
}

/** Reads a file as UTF-8, or undefined when it does not exist. */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Parses JSON, or undefined when the text is empty or not (yet) valid JSON. */
export function parseJsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Parses the first line of `text` as JSON (undefined when it is not valid JSON yet). For files rewritten in place
 * without truncation, where a shorter record leaves old bytes after its newline.
 */
export function parseFirstLineJson(text: string): unknown {
  const newline = text.indexOf('\n');
  return parseJsonOrUndefined(newline === -1 ? text : text.slice(0, newline));
}

/** unlink, ignoring ENOENT. Returns true when it removed the file. */
export function safeUnlink(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** rename, returning false on ENOENT of the source (someone else moved it first). */
export function tryRename(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') {
      // The target directory may be missing: create it and retry once.
      try {
        mkdirSync(dirname(to), { recursive: true });
        renameSync(from, to);
        return true;
      } catch (retryError) {
        if (errnoCode(retryError) === 'ENOENT') return false;
        throw retryError;
      }
    }
    throw error;
  }
}

/** Resolves after `ms` (or at once when `ms <= 0`), early on abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** rename without any retry: false when the source is gone (another process moved it first). */
export function moveIfPresent(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

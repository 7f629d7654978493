import { watch, type FSWatcher } from 'node:fs';
import { ensureDir } from './fs-utils.js';

type Listener = (filename: string) => void;

interface Entry {
  watcher: FSWatcher | null;
  listeners: Set<Listener>;
}

/**
 * Shares one `fs.watch` per directory among every waiter of this process. Watch events are only nudges:
 * callers always re-check the state on disk and also poll with backoff, so a missed event (or a platform
 * without inotify) only costs latency, never correctness.
 */
export class DirWatchers {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  /** Subscribes to file-name events in `dir`; returns the unsubscribe function. */
  subscribe(dir: string, listener: Listener): () => void {
    let entry = this.entries.get(dir);
    if (!entry) {
      entry = { watcher: null, listeners: new Set() };
      this.entries.set(dir, entry);
      if (!this.closed) {
        try {
          ensureDir(dir);
          const created = entry;
          const watcher = watch(dir, { persistent: false }, (_event, filename) => {
            const name = filename === null ? '' : String(filename);
            for (const l of [...created.listeners]) l(name);
          });
          watcher.on('error', () => {
            watcher.close();
            created.watcher = null;
          });
          entry.watcher = watcher;
        } catch {
          entry.watcher = null; // polling only
        }
      }
    }
    const e = entry;
    e.listeners.add(listener);
    return () => {
      e.listeners.delete(listener);
      if (e.listeners.size === 0) {
        e.watcher?.close();
        this.entries.delete(dir);
      }
    };
  }

  /**
   * Resolves `true` when a file whose name passes `match` changes in `dir`, or `false` after `maxMs` or on abort.
   */
  nudge(dir: string, match: (filename: string) => boolean, maxMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = (): void => finish(false);
      const unsubscribe = this.subscribe(dir, (name) => {
        if (name === '' || match(name)) finish(true);
      });
      const timer = setTimeout(() => finish(false), Math.max(0, maxMs));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) finish(false);
    });
  }

  /** Closes every watcher. */
  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) entry.watcher?.close();
    this.entries.clear();
  }
}

/** Exponential backoff from `minMs` to `maxMs`. */
export class Backoff {
  private current: number;
  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.current = minMs;
  }
  next(): number {
    const value = this.current;
    this.current = Math.min(this.maxMs, this.current * 2);
    // Jitter (±25%) keeps contending processes from polling in lockstep.
    return Math.max(1, Math.round(value * (0.75 + Math.random() * 0.5)));
  }
  reset(): void {
    this.current = this.minMs;
  }
}

import { CoordinationUnavailableError } from '../../errors/coordination-unavailable-error.js';
import { DirWatchers } from './dir-watcher.js';

/** Shared state of one file backend instance. */
export class FileContext {
  readonly watchers = new DirWatchers();
  /** Aborted on dispose: pending waits end with `CoordinationUnavailableError`. */
  readonly closing = new AbortController();
  private disposed = false;

  constructor(
    /** The coordination root, e.g. `~/.agentmux/coordination`. */
    readonly root: string,
    /** fdatasync what users read as history: activity appends, inbox messages, barrier definitions. */
    readonly fsyncLogs: boolean,
    /** Also fdatasync the board (new task files, journal appends, record rewrites). */
    readonly fsyncAll: boolean,
  ) {}

  /** Throws `CoordinationUnavailableError` once disposed. */
  assertOpen(): void {
    if (this.disposed) throw new CoordinationUnavailableError('file', `backend at ${this.root} was disposed`);
  }

  /** The error pending waits reject with after dispose. */
  closedError(): CoordinationUnavailableError {
    return new CoordinationUnavailableError('file', `backend at ${this.root} was disposed while waiting`);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Combines the caller's signal with the backend's closing signal. */
  signal(extra?: AbortSignal): AbortSignal {
    return extra ? AbortSignal.any([extra, this.closing.signal]) : this.closing.signal;
  }

  close(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.closing.abort(this.closedError());
    this.watchers.close();
  }
}

/** Throws the right error when a wait was aborted: the backend's closed error, or the caller's reason. */
export function throwIfAborted(ctx: FileContext, signal?: AbortSignal): void {
  if (ctx.isDisposed) throw ctx.closedError();
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How a separate process (or a fresh in-process instance) opens the same backend state. */
export interface BackendConnectSpec {
  /** Absolute path or URL of a module (TypeScript sources are fine: children run with a TS loader). */
  module: string;
  /** Name of the exported async factory. */
  exportName: string;
  /** Arguments for the factory (structured-clonable). */
  args: unknown[];
}

const childScript = fileURLToPath(new URL('./conformance-child.mjs', import.meta.url));
/** `--import` this to let plain `node` load the monorepo's TypeScript sources. */
export const registerTsLoader = fileURLToPath(new URL('./register-ts.mjs', import.meta.url));

interface Reply {
  id?: number;
  ok?: boolean;
  value?: unknown;
  error?: { name?: string; code?: string; message: string };
  ready?: boolean;
}

/** An error reported by a child: keeps the child's error code. */
export class ChildCallError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ChildCallError';
  }
}

/** A forked worker process running `conformance-child.mjs`. Kill it with `kill()`; `dispose()` waits for exit. */
export class ConformanceChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly exited: Promise<number | null>;

  private constructor(readonly process: ChildProcess) {
    process.on('message', (raw) => {
      const msg = raw as Reply;
      if (msg.id === undefined) return;
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.ok) waiter.resolve(msg.value);
      else waiter.reject(new ChildCallError(msg.error?.code, msg.error?.message ?? 'child error'));
    });
    this.exited = new Promise((resolve) => {
      process.once('exit', (code) => {
        for (const w of this.pending.values()) w.reject(new ChildCallError('CHILD_EXITED', `child ${process.pid} exited (${code})`));
        this.pending.clear();
        resolve(code);
      });
    });
  }

  /** Forks a child and opens the backend in it. */
  static async start(connect: BackendConnectSpec): Promise<ConformanceChild> {
    const proc = fork(childScript, [], {
      execArgv: ['--import', registerTsLoader],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child = new ConformanceChild(proc);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (raw: unknown): void => {
        if ((raw as Reply).ready) {
          proc.off('message', onMessage);
          resolve();
        }
      };
      proc.on('message', onMessage);
      proc.once('exit', (code) => reject(new Error(`conformance child exited early (${code})`)));
    });
    await child.call('open', connect);
    return child;
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** Runs a command in the child and resolves with its result. */
  call<T = unknown>(cmd: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.process.send({ id, cmd, params });
    });
  }

  /** Sends SIGKILL and waits for the exit. */
  async kill(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    await this.exited;
  }

  /** Disconnects (the child exits) or kills after 2 s. */
  async dispose(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    if (this.process.connected) this.process.disconnect();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 2_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Tracks children started by a test so they are always cleaned up. */
export class ChildPool {
  private readonly children = new Set<ConformanceChild>();
  async start(connect: BackendConnectSpec): Promise<ConformanceChild> {
    const child = await ConformanceChild.start(connect);
    this.children.add(child);
    return child;
  }
  async disposeAll(): Promise<void> {
    await Promise.all([...this.children].map((c) => c.dispose()));
    this.children.clear();
  }
}

import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { BackendError, InvalidArgumentError, NotFoundError, UnsupportedCapabilityError } from '../errors/index.js';
import type {
  BackendSessionInfo,
  BackendStartOptions,
  CaptureOptions,
  HeadlessEvent,
  HeadlessOutputParser,
  KillOptions,
  NamedKey,
  SessionBackendV1,
} from '../spec/index.js';
import { assertStartOptions } from './backend-helpers.js';
import { assertSessionName } from './input-validation.js';
import { terminateProcessTree } from './process-group.js';
import { OutputRingBuffer } from './ring-buffer.js';

/** Start options of the headless backend: the provider's parser for the run's stdout. */
export interface HeadlessStartOptions extends BackendStartOptions {
  /** Parses stdout lines into turn events (from `ProviderV1.createHeadlessParser`). */
  parser?: HeadlessOutputParser;
}

/** Listener of one headless session's parsed events. */
export type HeadlessListener = (event: HeadlessEvent) => void;

/** The headless backend: non-interactive runs whose stdout is parsed into turn events. */
export interface HeadlessBackend extends SessionBackendV1 {
  start(options: HeadlessStartOptions): Promise<BackendSessionInfo>;
  /** Every event parsed so far for a session. */
  events(name: string): readonly HeadlessEvent[];
  /** Calls `listener` for each new event; returns an unsubscribe function. */
  subscribe(name: string, listener: HeadlessListener): () => void;
  /** Resolves when the run ends, with its exit code (`null` when killed by a signal). */
  waitForExit(name: string): Promise<number | null>;
}

interface HeadlessSession {
  name: string;
  child: ResultPromise;
  pid: number | null;
  ring: OutputRingBuffer;
  log: WriteStream | null;
  logFile?: string;
  alive: boolean;
  exitCode?: number | null;
  exited: Promise<number | null>;
  events: HeadlessEvent[];
  listeners: Set<HeadlessListener>;
  chunkListeners: Set<(chunk: string | null) => void>;
}

const HINT = 'a headless run takes its whole job as the spawn prompt and reads no input; use the tmux or pty backend to talk to an agent';

/** True when `backend` is a headless backend (has `subscribe`). */
export function isHeadlessBackend(backend: SessionBackendV1): backend is HeadlessBackend {
  return backend.id === 'headless' && typeof (backend as Partial<HeadlessBackend>).subscribe === 'function';
}

/**
 * Runs CLIs in their non-interactive streaming modes (execa, argv only, stdin closed, own process group),
 * tees stdout/stderr to the log, and turns stdout into `HeadlessEvent`s with the provider's parser.
 */
export function createHeadlessBackend(options: { ringBytes?: number } = {}): HeadlessBackend {
  const sessions = new Map<string, HeadlessSession>();

  function get(name: string): HeadlessSession {
    assertSessionName(name);
    const s = sessions.get(name);
    if (!s) throw new NotFoundError('headless session', name, 'Start it first with start().');
    return s;
  }

  function infoOf(s: HeadlessSession): BackendSessionInfo {
    return {
      name: s.name, backend: 'headless', pid: s.pid, alive: s.alive,
      ...(s.exitCode === undefined ? {} : { exitCode: s.exitCode }),
      ...(s.logFile ? { logFile: s.logFile } : {}),
    };
  }

  function emit(s: HeadlessSession, events: HeadlessEvent[]): void {
    for (const e of events) {
      s.events.push(e);
      for (const l of s.listeners) l(e);
    }
  }

  const backend: HeadlessBackend = {
    specificationVersion: 'v1',
    id: 'headless',

    async start(opts: HeadlessStartOptions): Promise<BackendSessionInfo> {
      await assertStartOptions(opts);
      if (sessions.get(opts.name)?.alive) throw new BackendError('headless', 'start', `session "${opts.name}" already exists; kill it first or pick another name`);
      const child = execa(opts.command, opts.args, {
        cwd: opts.cwd, env: opts.env ?? {}, extendEnv: true, stdin: 'ignore', buffer: false, reject: false, detached: true,
      });
      let log: WriteStream | null = null;
      if (opts.logFile !== undefined) {
        mkdirSync(dirname(opts.logFile), { recursive: true });
        log = createWriteStream(opts.logFile, { flags: 'a' });
        log.on('error', () => undefined);
      }
      let resolveExit: (code: number | null) => void = () => undefined;
      const s: HeadlessSession = {
        name: opts.name, child, pid: child.pid ?? null, ring: new OutputRingBuffer(options.ringBytes ?? 1024 * 1024), log, alive: true,
        exited: new Promise((resolve) => { resolveExit = resolve; }), events: [], listeners: new Set(), chunkListeners: new Set(),
        ...(opts.logFile ? { logFile: opts.logFile } : {}),
      };
      sessions.set(opts.name, s);
      const parser = opts.parser;
      const tee = (chunk: Buffer | string) => {
        const text = chunk.toString();
        s.ring.push(text);
        log?.write(text);
        for (const l of s.chunkListeners) l(text);
      };
      child.stderr?.on('data', tee);
      const stdoutDone = new Promise<void>((resolve) => {
        if (!child.stdout) return resolve();
        child.stdout.on('data', tee);
        const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
        lines.on('line', (line) => { if (parser) emit(s, parser.push(line)); });
        lines.on('close', () => resolve());
      });
      void child.then(async (result) => {
        await stdoutDone;
        if (parser) emit(s, parser.end());
        s.alive = false;
        s.exitCode = result.signal ? null : (result.exitCode ?? null);
        if (result.failed && result.exitCode === undefined && !result.signal) {
          emit(s, [{ type: 'error', message: `could not start ${opts.command}: ${result.shortMessage}` }]);
        }
        log?.end();
        for (const l of s.chunkListeners) l(null);
        resolveExit(s.exitCode);
      });
      return infoOf(s);
    },

    async sendText(): Promise<void> {
      throw new UnsupportedCapabilityError('backend:headless', 'sendText', HINT);
    },

    async sendKeys(_name: string, _keys: readonly NamedKey[]): Promise<void> {
      throw new UnsupportedCapabilityError('backend:headless', 'sendKeys', HINT);
    },

    async paste(): Promise<void> {
      throw new UnsupportedCapabilityError('backend:headless', 'paste', HINT);
    },

    async capture(name: string, capture: CaptureOptions = {}): Promise<string> {
      const s = get(name);
      const scrollback = capture.scrollback ?? 0;
      if (!Number.isInteger(scrollback) || scrollback < 0) {
        throw new InvalidArgumentError('capture.scrollback', `${scrollback} is not a non-negative integer`, 'pass a line count >= 0');
      }
      return `${s.ring.lastLines(40 + scrollback).join('\n')}\n`;
    },

    async *stream(name: string, signal?: AbortSignal): AsyncIterable<string> {
      const s = get(name);
      if (!s.alive) return;
      const queue: (string | null)[] = [];
      let wake: (() => void) | null = null;
      const listener = (chunk: string | null) => { queue.push(chunk); wake?.(); };
      const onAbort = () => listener(null);
      s.chunkListeners.add(listener);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        while (!signal?.aborted) {
          if (queue.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
          const chunk = queue.shift();
          if (chunk === null || chunk === undefined) break;
          yield chunk;
        }
      } finally {
        s.chunkListeners.delete(listener);
        signal?.removeEventListener('abort', onAbort);
      }
    },

    async isAlive(name: string): Promise<boolean> {
      assertSessionName(name);
      return sessions.get(name)?.alive ?? false;
    },

    async kill(name: string, kill: KillOptions = {}): Promise<void> {
      const s = get(name);
      if (s.alive && s.pid !== null) {
        await terminateProcessTree(s.pid, { signal: kill.signal ?? 'SIGTERM', graceMs: kill.graceMs ?? 3000, isGone: async () => !s.alive });
      }
      sessions.delete(name);
    },

    async list(): Promise<BackendSessionInfo[]> {
      return [...sessions.values()].map(infoOf);
    },

    events(name: string): readonly HeadlessEvent[] {
      return get(name).events;
    },

    subscribe(name: string, listener: HeadlessListener): () => void {
      const s = get(name);
      s.listeners.add(listener);
      return () => s.listeners.delete(listener);
    },

    waitForExit(name: string): Promise<number | null> {
      return get(name).exited;
    },

    async [Symbol.asyncDispose](): Promise<void> {
      await Promise.all([...sessions.values()].filter((s) => s.alive).map((s) => backend.kill(s.name, { graceMs: 1000 }).catch(() => undefined)));
    },
  };
  return backend;
}

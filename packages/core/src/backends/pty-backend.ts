import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type xtermModule from '@xterm/headless';
import type * as nodePtyModule from 'node-pty';
import { BackendError, InvalidArgumentError, NotFoundError, UnsupportedCapabilityError } from '../errors/index.js';
import type {
  BackendSessionInfo,
  BackendStartOptions,
  CaptureOptions,
  KillOptions,
  NamedKey,
  SessionBackendV1,
} from '../spec/index.js';
import { assertStartOptions } from './backend-helpers.js';
import { assertArgvString, assertSessionName } from './input-validation.js';
import { terminateProcessTree } from './process-group.js';
import { OutputRingBuffer } from './ring-buffer.js';
import { KEY_SEQUENCES } from './tmux-args.js';

type XtermTerminal = InstanceType<typeof xtermModule.Terminal>;

interface PtyModules {
  xterm: typeof xtermModule;
  nodePty: typeof nodePtyModule;
}
let ptyModules: Promise<PtyModules> | undefined;

/**
 * node-pty (a native addon) and @xterm/headless cost ~15 MiB and some start-up time; they are loaded on the first
 * `start()`, so programs that import core without using the pty backend (e.g. `agentmux top`) don't pay for them.
 */
function loadPtyModules(): Promise<PtyModules> {
  ptyModules ??= Promise.all([import('@xterm/headless'), import('node-pty')]).then(([x, p]) => ({
    xterm: (x as { default?: typeof xtermModule }).default ?? (x as unknown as typeof xtermModule),
    nodePty: p as typeof nodePtyModule,
  }));
  return ptyModules;
}

/** Options of {@link createPtyBackend}. */
export interface PtyBackendOptions {
  /** Bytes of raw output kept per session (default 1 MiB). */
  ringBytes?: number;
  /** Scrollback lines of the screen model (default 1000). */
  scrollback?: number;
  /** How newlines travel inside a paste: `cr` (default, like a terminal) or `lf`. */
  pasteNewline?: 'cr' | 'lf';
}

/** The pty backend, with in-process extras. */
export interface PtyBackend extends SessionBackendV1 {
  /** Raw recent output of a session (the ring buffer), ANSI included. */
  recentOutput(name: string): string;
  /** Liveness and visible screen; `null` when the session does not exist. */
  probe(name: string): Promise<{ alive: boolean; screen: string } | null>;
  /** True when the app enabled bracketed paste (`ESC[?2004h`). */
  bracketedPaste(name: string): Promise<boolean>;
}

interface PtySession {
  name: string;
  pty: nodePtyModule.IPty;
  term: XtermTerminal;
  ring: OutputRingBuffer;
  log: WriteStream | null;
  logFile?: string;
  alive: boolean;
  exitCode?: number | null;
  exited: Promise<void>;
  listeners: Set<(chunk: string | null) => void>;
}

/**
 * Creates a backend that runs each command in a pseudo-terminal inside this process (node-pty). The screen is
 * modelled with `@xterm/headless`, so `capture` returns what a terminal would show. Sessions end with the
 * process: dispose the backend to stop them.
 */
export function createPtyBackend(options: PtyBackendOptions = {}): PtyBackend {
  const sessions = new Map<string, PtySession>();
  const ringBytes = options.ringBytes ?? 1024 * 1024;

  function get(name: string): PtySession {
    assertSessionName(name);
    const s = sessions.get(name);
    if (!s) throw new NotFoundError('pty session', name, 'Start it first with start().');
    return s;
  }

  const flush = (s: PtySession) => new Promise<void>((resolve) => s.term.write('', resolve));

  function write(s: PtySession, data: string, operation: string): void {
    if (!s.alive) throw new BackendError('pty', operation, `session "${s.name}" has exited`);
    s.pty.write(data);
  }

  function infoOf(s: PtySession): BackendSessionInfo {
    return {
      name: s.name,
      backend: 'pty',
      pid: s.pty.pid,
      alive: s.alive,
      ...(s.exitCode === undefined ? {} : { exitCode: s.exitCode }),
      ...(s.logFile ? { logFile: s.logFile } : {}),
    };
  }

  const backend: PtyBackend = {
    specificationVersion: 'v1',
    id: 'pty',

    async start(opts: BackendStartOptions): Promise<BackendSessionInfo> {
      const { xterm, nodePty } = await loadPtyModules();
      await assertStartOptions(opts);
      const existing = sessions.get(opts.name);
      if (existing?.alive) throw new BackendError('pty', 'start', `session "${opts.name}" already exists; kill it first or pick another name`);
      if (existing) sessions.delete(opts.name);
      const cols = opts.cols ?? 120;
      const rows = opts.rows ?? 40;
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
      Object.assign(env, { TERM: 'xterm-256color' }, opts.env ?? {});
      let pty: nodePtyModule.IPty;
      try {
        pty = nodePty.spawn(opts.command, opts.args, { name: 'xterm-256color', cols, rows, cwd: opts.cwd, env });
      } catch (error) {
        throw new BackendError('pty', 'start', `could not start ${opts.command}: ${(error as Error).message}`, { cause: error });
      }
      let log: WriteStream | null = null;
      if (opts.logFile !== undefined) {
        mkdirSync(dirname(opts.logFile), { recursive: true });
        log = createWriteStream(opts.logFile, { flags: 'a' });
        log.on('error', () => undefined);
      }
      const term = new xterm.Terminal({ cols, rows, scrollback: options.scrollback ?? 1000, allowProposedApi: true });
      let resolveExit: () => void = () => undefined;
      const session: PtySession = {
        name: opts.name, pty, term, ring: new OutputRingBuffer(ringBytes), log, alive: true,
        exited: new Promise<void>((resolve) => { resolveExit = resolve; }),
        listeners: new Set(),
        ...(opts.logFile ? { logFile: opts.logFile } : {}),
      };
      pty.onData((data) => {
        session.ring.push(data);
        term.write(data);
        log?.write(data);
        for (const l of session.listeners) l(data);
      });
      pty.onExit(({ exitCode, signal }) => {
        session.alive = false;
        session.exitCode = signal ? null : exitCode;
        log?.end();
        for (const l of session.listeners) l(null);
        resolveExit();
      });
      sessions.set(opts.name, session);
      return infoOf(session);
    },

    async sendText(name: string, text: string): Promise<void> {
      assertArgvString(text, 'sendText.text');
      write(get(name), text, 'sendText');
    },

    async sendKeys(name: string, keys: readonly NamedKey[]): Promise<void> {
      const s = get(name);
      await flush(s);
      const appCursor = s.term.modes.applicationCursorKeysMode;
      const seq = keys
        .map((k, i) => {
          const base = KEY_SEQUENCES[k];
          if (base === undefined) throw new InvalidArgumentError(`sendKeys.keys[${i}]`, `unknown key ${JSON.stringify(k)}`, `use one of ${Object.keys(KEY_SEQUENCES).join(', ')}`);
          // eslint-disable-next-line no-control-regex -- cursor keys are escape sequences
          return appCursor && /^\x1b\[[ABCDHF]$/.test(base) ? `\x1bO${base.slice(2)}` : base;
        })
        .join('');
      write(s, seq, 'sendKeys');
    },

    async paste(name: string, text: string): Promise<void> {
      assertArgvString(text, 'paste.text');
      const s = get(name);
      await flush(s);
      const body = options.pasteNewline === 'lf' ? text : text.replace(/\r?\n/g, '\r');
      write(s, s.term.modes.bracketedPasteMode ? `\x1b[200~${body}\x1b[201~` : body, 'paste');
    },

    async capture(name: string, capture: CaptureOptions = {}): Promise<string> {
      const s = get(name);
      if (capture.ansi) {
        throw new UnsupportedCapabilityError('backend:pty', 'capture ansi', 'use recentOutput(), stream() or the log file for raw output');
      }
      const scrollback = capture.scrollback ?? 0;
      if (!Number.isInteger(scrollback) || scrollback < 0) {
        throw new InvalidArgumentError('capture.scrollback', `${scrollback} is not a non-negative integer`, 'pass a line count >= 0');
      }
      await flush(s);
      const buf = s.term.buffer.active;
      const top = Math.max(0, buf.baseY - scrollback);
      const lines: string[] = [];
      for (let y = top; y < buf.baseY + s.term.rows; y++) {
        const line = buf.getLine(y);
        if (!line) continue;
        if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += line.translateToString(true);
        else lines.push(line.translateToString(true));
      }
      return `${lines.join('\n')}\n`;
    },

    async *stream(name: string, signal?: AbortSignal): AsyncIterable<string> {
      const s = get(name);
      if (!s.alive) return;
      const queue: (string | null)[] = [];
      let wake: (() => void) | null = null;
      const listener = (chunk: string | null) => {
        queue.push(chunk);
        wake?.();
      };
      const onAbort = () => listener(null);
      s.listeners.add(listener);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        while (!signal?.aborted) {
          if (queue.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
          wake = null;
          const chunk = queue.shift();
          if (chunk === null || chunk === undefined) break;
          yield chunk;
        }
      } finally {
        s.listeners.delete(listener);
        signal?.removeEventListener('abort', onAbort);
      }
    },

    async resize(name: string, cols: number, rows: number): Promise<void> {
      const s = get(name);
      for (const [field, v] of [['cols', cols], ['rows', rows]] as const) {
        if (!Number.isInteger(v) || v < 2 || v > 10_000) throw new InvalidArgumentError(`resize.${field}`, `${v} is out of range`, 'pass an integer between 2 and 10000');
      }
      if (s.alive) s.pty.resize(cols, rows);
      s.term.resize(cols, rows);
    },

    async isAlive(name: string): Promise<boolean> {
      assertSessionName(name);
      return sessions.get(name)?.alive ?? false;
    },

    async kill(name: string, kill: KillOptions = {}): Promise<void> {
      const s = get(name);
      if (s.alive) {
        await terminateProcessTree(s.pty.pid, {
          signal: kill.signal ?? 'SIGTERM',
          graceMs: kill.graceMs ?? 3000,
          isGone: async () => !s.alive,
        });
        await Promise.race([s.exited, new Promise((r) => setTimeout(r, 1000))]);
      }
      s.term.dispose();
      sessions.delete(name);
    },

    async list(): Promise<BackendSessionInfo[]> {
      return [...sessions.values()].map(infoOf);
    },

    async probe(name: string): Promise<{ alive: boolean; screen: string } | null> {
      assertSessionName(name);
      const s = sessions.get(name);
      return s ? { alive: s.alive, screen: await backend.capture(name) } : null;
    },

    recentOutput(name: string): string {
      return get(name).ring.toString();
    },

    async bracketedPaste(name: string): Promise<boolean> {
      const s = get(name);
      await flush(s);
      return s.term.modes.bracketedPasteMode;
    },

    async [Symbol.asyncDispose](): Promise<void> {
      await Promise.all([...sessions.keys()].map((name) => backend.kill(name, { graceMs: 1000 }).catch(() => undefined)));
    },
  };
  return backend;
}

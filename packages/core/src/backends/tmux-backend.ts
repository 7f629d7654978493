import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BackendError, InvalidArgumentError, NotFoundError } from '../errors/index.js';
import type {
  BackendSessionInfo,
  BackendStartOptions,
  CaptureOptions,
  KillOptions,
  NamedKey,
  SessionBackendV1,
} from '../spec/index.js';
import {
  assertAbsolutePath,
  assertArgvString,
  assertSessionName,
  assertShellSafePath,
} from './input-validation.js';
import { terminateProcessTree } from './process-group.js';
import { runProcess } from './run-process.js';
import { tailFile } from './tail-file.js';
import { TMUX_KEY_NAMES, paneTarget, tmuxArg, tmuxFormatLiteral } from './tmux-args.js';
import { assertStartOptions, splitForArgv } from './backend-helpers.js';

/** Options of {@link createTmuxBackend}. Give one of `socketPath`, `socketName` or `stateDir`. */
export interface TmuxBackendOptions {
  /** Server socket path (`tmux -S`). A private server per fleet is the default. */
  socketPath?: string;
  /** Named server socket (`tmux -L`), e.g. `default` for the user's own server. */
  socketName?: string;
  /** Fleet state directory: the private socket is `<stateDir>/tmux.sock`. */
  stateDir?: string;
  /** tmux executable (default `tmux` on PATH). */
  tmuxPath?: string;
  /** Scrollback lines kept per pane on a private server (default 10000). */
  historyLimit?: number;
  /**
   * How newlines travel inside a paste: `cr` (default) like a real terminal's paste, `lf` keeps `\n`
   * (`paste-buffer -r`).
   */
  pasteNewline?: 'cr' | 'lf';
  /** Kill the whole server on dispose (only for a private socket; default false: agents outlive the process). */
  killServerOnDispose?: boolean;
}

/** The tmux backend, with a few tmux-only extras. */
export interface TmuxBackend extends SessionBackendV1 {
  /** Socket arguments for tmux (`['-S', path]` or `['-L', name]`), e.g. for `tmux attach`. */
  readonly socketArgs: readonly string[];
  /** Runs `tmux <socket> ...args` (argv, never a shell) and returns stdout. */
  run(args: readonly string[], input?: string): Promise<string>;
  /** Full pane facts, or `null` when the session does not exist. */
  info(name: string): Promise<BackendSessionInfo | null>;
  /** Liveness and visible screen in one tmux call; `null` when the session does not exist. */
  probe(name: string): Promise<{ alive: boolean; screen: string } | null>;
}

const MAX_SOCKET_PATH = 104;
const SEND_CHUNK = 2000;

function socketArgsFor(options: TmuxBackendOptions): { args: string[]; privateSocket: string | null } {
  if (options.socketName !== undefined) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(options.socketName)) {
      throw new InvalidArgumentError('tmux.socketName', `${JSON.stringify(options.socketName)} is not a valid socket name`, 'use [A-Za-z0-9_.-]');
    }
    return { args: ['-L', options.socketName], privateSocket: null };
  }
  const socket = options.socketPath ?? (options.stateDir !== undefined ? join(options.stateDir, 'tmux.sock') : undefined);
  if (socket === undefined) {
    throw new InvalidArgumentError('tmux', 'no server given', 'pass socketPath, socketName or stateDir');
  }
  assertAbsolutePath(socket, 'tmux.socketPath');
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    throw new InvalidArgumentError('tmux.socketPath', `${socket} is longer than ${MAX_SOCKET_PATH} bytes (a unix socket limit)`, 'use a shorter state directory');
  }
  return { args: ['-S', socket], privateSocket: socket };
}

/**
 * Creates a tmux backend. Every tmux call is an argv array through execa: no shell ever sees user text.
 * Commands start directly (`new-session -- cmd args`); panes stay after exit (`remain-on-exit`) so exit codes
 * can be read; output is piped to the session's log file with `pipe-pane` (a validated, quoted path).
 */
export function createTmuxBackend(options: TmuxBackendOptions): TmuxBackend {
  const tmux = options.tmuxPath ?? 'tmux';
  const { args: socketArgs, privateSocket } = socketArgsFor(options);
  const historyLimit = options.historyLimit ?? 10_000;

  // A client that connects while an emptied server shuts down gets "server exited unexpectedly": nothing ran,
  // so the call is repeated (a new server starts).
  async function raw(args: readonly string[], input?: string) {
    for (let attempt = 0; ; attempt++) {
      const result = await runProcess(tmux, [...socketArgs, ...args], input);
      if (result.exitCode === 0 || attempt >= 4 || !/server exited unexpectedly|lost server/.test(result.stderr)) return result;
      await new Promise((resolve) => setTimeout(resolve, 25 * (attempt + 1)));
    }
  }

  async function run(args: readonly string[], input?: string): Promise<string> {
    const result = await raw(args, input);
    if (result.exitCode !== 0) {
      const operation = args[0] ?? 'tmux';
      const detail = result.error ? `${result.error.message} (is tmux installed and on PATH?)` : result.stderr.trim() || `exit ${result.exitCode}`;
      throw new BackendError('tmux', operation, detail, { cause: result.error ?? result.stderr });
    }
    return result.stdout;
  }

  function parsePaneLine(line: string): BackendSessionInfo | null {
    const [name, pid, dead, status, signal, log] = line.split('\t');
    if (name === undefined || name === '') return null;
    const alive = dead !== '1';
    const exitCode = alive ? undefined : status !== undefined && status !== '' ? Number(status) : signal ? null : undefined;
    const logFile = log || undefined;
    return {
      name,
      backend: 'tmux',
      pid: pid ? Number(pid) : null,
      alive,
      ...(exitCode === undefined ? {} : { exitCode }),
      ...(logFile ? { logFile } : {}),
    };
  }

  const PANE_FORMAT = '#{session_name}\t#{pane_pid}\t#{pane_dead}\t#{pane_dead_status}\t#{pane_dead_signal}\t#{@agentmux_log}';

  async function info(name: string): Promise<BackendSessionInfo | null> {
    assertSessionName(name);
    // tmux marks a pane dead when its pty closes, a moment before it reaps the exit status: re-read briefly.
    // (tmux 3.3a sometimes never records the status when panes start and die together: then it is null.)
    for (let attempt = 0; ; attempt++) {
      const result = await raw(['list-panes', '-t', paneTarget(name), '-F', PANE_FORMAT]);
      if (result.exitCode !== 0) return null;
      const parsed = parsePaneLine(result.stdout.split('\n')[0] ?? '');
      if (!parsed || parsed.alive || parsed.exitCode !== undefined) return parsed;
      if (attempt >= 5) return { ...parsed, exitCode: null };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function requireSession(name: string): Promise<BackendSessionInfo> {
    const found = await info(name);
    if (!found) throw new NotFoundError('tmux session', name, `Start it first, or check the socket (${socketArgs.join(' ')}).`);
    return found;
  }

  const backend: TmuxBackend = {
    specificationVersion: 'v1',
    id: 'tmux',
    socketArgs,
    run,
    info,

    async start(opts: BackendStartOptions): Promise<BackendSessionInfo> {
      await assertStartOptions(opts);
      const envArgs = Object.entries(opts.env ?? {}).flatMap(([key, value]) => ['-e', tmuxArg(`${key}=${value}`)]);
      if (opts.logFile !== undefined) {
        assertShellSafePath(opts.logFile, 'start.logFile');
        mkdirSync(dirname(opts.logFile), { recursive: true });
      }
      if (privateSocket) mkdirSync(dirname(privateSocket), { recursive: true, mode: 0o700 });
      // With a single argument tmux would run it through `sh -c`: `env --` keeps it an argv exec.
      const argv = opts.args.length === 0 ? ['env', '--', opts.command] : [opts.command, ...opts.args];
      const target = paneTarget(opts.name);
      const chain: string[] = [
        // On our own server, remain-on-exit is global so that even a command that dies at once keeps its pane.
        ...(privateSocket ? ['set-option', '-g', 'history-limit', String(historyLimit), ';', 'set-option', '-wg', 'remain-on-exit', 'on', ';'] : []),
        'new-session', '-d', '-P', '-F', '#{pane_pid}', '-s', opts.name,
        '-x', String(opts.cols ?? 120), '-y', String(opts.rows ?? 40),
        '-c', tmuxFormatLiteral(opts.cwd), ...envArgs,
        '--', ...argv.map(tmuxArg),
        ';', 'set-option', '-w', '-t', target, 'remain-on-exit', 'on',
        ';', 'set-option', '-t', target, '@agentmux', '1',
      ];
      if (opts.logFile !== undefined) {
        // The path was checked to hold only [A-Za-z0-9_.@+/-]: safe inside single quotes.
        chain.push(
          ';', 'set-option', '-t', target, '@agentmux_log', opts.logFile,
          ';', 'pipe-pane', '-o', '-t', paneTarget(opts.name), `exec cat >> '${opts.logFile}'`,
        );
      }
      // One tmux call: a fleet spawns many agents at once and every client start costs ~20 ms.
      const result = await raw(chain);
      if (result.exitCode !== 0) {
        const detail = result.error ? `${result.error.message} (is tmux installed and on PATH?)` : result.stderr.trim();
        if (/can't find (pane|window|session)/.test(detail)) {
          throw new BackendError('tmux', 'new-session', `${opts.command} exited at once, before tmux could keep its pane; run it by hand in ${opts.cwd} to see why`);
        }
        if (/duplicate session/.test(detail)) {
          throw new BackendError('tmux', 'new-session', `session "${opts.name}" already exists; kill it first or pick another name`);
        }
        throw new BackendError('tmux', 'new-session', detail || `exit ${result.exitCode}`, { cause: result.error ?? result.stderr });
      }
      const pid = Number(result.stdout.trim().split('\n')[0]);
      return {
        name: opts.name, backend: 'tmux', pid: Number.isInteger(pid) && pid > 0 ? pid : null, alive: true,
        ...(opts.logFile !== undefined ? { logFile: opts.logFile } : {}),
      };
    },

    async probe(name: string): Promise<{ alive: boolean; screen: string } | null> {
      assertSessionName(name);
      const result = await raw(['list-panes', '-t', paneTarget(name), '-F', '#{pane_dead}', ';', 'capture-pane', '-p', '-t', paneTarget(name)]);
      if (result.exitCode !== 0) return null;
      const nl = result.stdout.indexOf('\n');
      return { alive: result.stdout.slice(0, nl) !== '1', screen: result.stdout.slice(nl + 1) };
    },

    async sendText(name: string, text: string): Promise<void> {
      assertSessionName(name);
      assertArgvString(text, 'sendText.text');
      for (const chunk of splitForArgv(text, SEND_CHUNK)) {
        await run(['send-keys', '-t', paneTarget(name), '-l', '--', tmuxArg(chunk)]);
      }
    },

    async sendKeys(name: string, keys: readonly NamedKey[]): Promise<void> {
      assertSessionName(name);
      const names = keys.map((k, i) => {
        const mapped = TMUX_KEY_NAMES[k];
        if (!mapped) throw new InvalidArgumentError(`sendKeys.keys[${i}]`, `unknown key ${JSON.stringify(k)}`, `use one of ${Object.keys(TMUX_KEY_NAMES).join(', ')}`);
        return mapped;
      });
      if (names.length === 0) return;
      await run(['send-keys', '-t', paneTarget(name), ...names]);
    },

    async paste(name: string, text: string): Promise<void> {
      assertSessionName(name);
      assertArgvString(text, 'paste.text');
      const buffer = `agentmux-${randomBytes(12).toString('hex')}`;
      // Loaded from stdin (never a temp file), pasted and deleted (-d) in the same tmux call.
      const result = await raw(
        ['load-buffer', '-b', buffer, '-', ';', 'paste-buffer', '-p', '-d', ...(options.pasteNewline === 'lf' ? ['-r'] : []), '-b', buffer, '-t', paneTarget(name)],
        text,
      );
      if (result.exitCode !== 0) {
        await raw(['delete-buffer', '-b', buffer]);
        throw new BackendError('tmux', 'paste-buffer', result.stderr.trim() || `exit ${result.exitCode}`, { cause: result.error ?? result.stderr });
      }
    },

    async capture(name: string, capture: CaptureOptions = {}): Promise<string> {
      assertSessionName(name);
      const scrollback = capture.scrollback ?? 0;
      if (!Number.isInteger(scrollback) || scrollback < 0) {
        throw new InvalidArgumentError('capture.scrollback', `${scrollback} is not a non-negative integer`, 'pass a line count >= 0');
      }
      return run([
        'capture-pane', '-p', '-t', paneTarget(name),
        ...(capture.ansi ? ['-e'] : []),
        ...(scrollback > 0 ? ['-S', String(-scrollback)] : []),
      ]);
    },

    async *stream(name: string, signal?: AbortSignal): AsyncIterable<string> {
      const found = await requireSession(name);
      const logFile = found.logFile;
      if (!logFile) throw new BackendError('tmux', 'stream', `session "${name}" has no log file; start it with logFile to stream`);
      yield* tailFile(logFile, { signal, until: async () => !(await info(name))?.alive });
    },

    async resize(name: string, cols: number, rows: number): Promise<void> {
      assertSessionName(name);
      for (const [field, v] of [['cols', cols], ['rows', rows]] as const) {
        if (!Number.isInteger(v) || v < 2 || v > 10_000) throw new InvalidArgumentError(`resize.${field}`, `${v} is out of range`, 'pass an integer between 2 and 10000');
      }
      await run(['resize-window', '-t', paneTarget(name), '-x', String(cols), '-y', String(rows)]);
    },

    async isAlive(name: string): Promise<boolean> {
      return (await info(name))?.alive ?? false;
    },

    async kill(name: string, kill: KillOptions = {}): Promise<void> {
      const found = await requireSession(name);
      if (found.alive && found.pid !== null) {
        await terminateProcessTree(found.pid, {
          signal: kill.signal ?? 'SIGTERM',
          graceMs: kill.graceMs ?? 3000,
          isGone: async () => !(await info(name))?.alive,
        });
      }
      await raw(['kill-session', '-t', paneTarget(name)]);
    },

    async list(): Promise<BackendSessionInfo[]> {
      const result = await raw(['list-panes', '-a', '-F', `#{@agentmux}\t${PANE_FORMAT}`]);
      if (result.exitCode !== 0) return [];
      const out: BackendSessionInfo[] = [];
      for (const line of result.stdout.split('\n')) {
        if (!line.startsWith('1\t')) continue;
        const parsed = parsePaneLine(line.slice(2));
        if (parsed && !out.some((s) => s.name === parsed.name)) out.push(parsed);
      }
      return out;
    },

    async [Symbol.asyncDispose](): Promise<void> {
      if (options.killServerOnDispose && privateSocket) await raw(['kill-server']);
    },
  };
  return backend;
}

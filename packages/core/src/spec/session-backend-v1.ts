/** Named keys a backend can press; mapped to tmux key names or escape sequences. */
export type NamedKey =
  | 'Enter' | 'Escape' | 'Tab' | 'BTab' | 'Backspace' | 'Up' | 'Down' | 'Left' | 'Right'
  | 'C-c' | 'C-d' | 'C-u' | 'C-l' | 'Home' | 'End' | 'PageUp' | 'PageDown' | 'Space';

/** What to start in a backend session. */
export interface BackendStartOptions {
  /** Unique session name within the backend, `[A-Za-z0-9_.-]`. */
  name: string;
  /** Executable. */
  command: string;
  /** Arguments, never joined into a shell string. */
  args: string[];
  /** Working directory. */
  cwd: string;
  /** Environment additions. */
  env?: Record<string, string>;
  /** Terminal width (default 120). */
  cols?: number;
  /** Terminal height (default 40). */
  rows?: number;
  /** File that receives all output (tmux `pipe-pane`, pty tee). */
  logFile?: string;
}

/** A running (or finished) backend session. */
export interface BackendSessionInfo {
  /** Session name. */
  name: string;
  /** Backend id. */
  backend: string;
  /** Pid of the command (pane pid for tmux). */
  pid: number | null;
  /** True while the command runs. */
  alive: boolean;
  /** Exit code once finished, when known. */
  exitCode?: number | null;
  /** Log file, when piping. */
  logFile?: string;
}

/** Capture options. */
export interface CaptureOptions {
  /** Lines of scrollback to include above the visible screen (default 0). */
  scrollback?: number;
  /** Keep ANSI escape sequences (default false). */
  ansi?: boolean;
}

/** Kill options. */
export interface KillOptions {
  /** First signal (default `SIGTERM`), sent to the whole process group. */
  signal?: NodeJS.Signals;
  /** Time to wait before `SIGKILL` (default 3000 ms). */
  graceMs?: number;
}

/**
 * Runs commands in named sessions with a terminal and lets callers type into them and read their screens.
 * Implemented by tmux, pty and headless backends. Must be disposed (`await using`).
 */
export interface SessionBackendV1 extends AsyncDisposable {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /** Backend id: `tmux`, `pty`, `headless`. */
  readonly id: string;
  /** Starts `command` in a new session. */
  start(options: BackendStartOptions): Promise<BackendSessionInfo>;
  /** Types `text` literally (no key-name interpretation). */
  sendText(name: string, text: string): Promise<void>;
  /** Presses named keys in order. */
  sendKeys(name: string, keys: readonly NamedKey[]): Promise<void>;
  /** Pastes `text` as one block (bracketed paste when the app asked for it). */
  paste?(name: string, text: string): Promise<void>;
  /** Reads the screen (and optionally scrollback) as text. */
  capture(name: string, options?: CaptureOptions): Promise<string>;
  /** Streams raw output from now on until the session ends or the signal aborts. */
  stream?(name: string, signal?: AbortSignal): AsyncIterable<string>;
  /** Resizes the terminal. */
  resize?(name: string, cols: number, rows: number): Promise<void>;
  /** True while the session's command runs. */
  isAlive(name: string): Promise<boolean>;
  /** Stops the session: `signal` to the process group, then `SIGKILL` after the grace period. */
  kill(name: string, options?: KillOptions): Promise<void>;
  /** Lists sessions this backend manages. */
  list(): Promise<BackendSessionInfo[]>;
}

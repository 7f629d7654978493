import { assertAbsolutePath, assertDeliverableText, assertEnvKey, assertSessionName } from '../backends/input-validation.js';
import { InvalidArgumentError } from '../errors/index.js';
import type { PermissionMode, ProviderV1, SessionBackendV1 } from '../spec/index.js';
import type { SendTuning } from './verified-send.js';
import type { WatchdogOptions } from './watchdog.js';

/** Variables passed from the manager's `env` to agents by default. */
export const DEFAULT_PASS_ENV: readonly string[] = [
  'PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME',
  'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME',
];

/** Options of {@link createAgentManager}. */
export interface AgentManagerOptions {
  /** Where agents run. The caller owns it and disposes it after the manager. */
  backend: SessionBackendV1;
  /** Fleet state directory (records, queues, logs). */
  stateDir: string;
  /** Providers that `spawn` may be given by id, and that persisted agents are resolved with. */
  providers: readonly ProviderV1[];
  /** Base environment for transcript lookups (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Variables copied from `env` into every agent's environment when set there (a tmux server keeps the
   * environment of whoever started it; these make an agent see the caller's config dirs). Default
   * {@link DEFAULT_PASS_ENV} (no API keys: values passed here appear in tmux's argv; add them yourself if needed).
   */
  passEnv?: readonly string[];
  /** Verified-send tuning. */
  send?: SendTuning;
  /** Watchdog settings, or `false` to supervise nothing (CLI one-shots). */
  watchdog?: WatchdogOptions | false;
  /** Called when an agent's context grows past `watchdog.compactionThresholdTokens`. */
  onCompactionSuggested?: (e: { name: string; contextTokens: number }) => void | Promise<void>;
  /** Wait at most this long for a (re)started agent's UI before typing (default 20000 ms). */
  readyTimeoutMs?: number;
  /** Terminal size for new agents (default 120x40). */
  cols?: number;
  rows?: number;
  /** Kill every agent this manager knows on dispose (default false: tmux agents outlive the process). */
  killOnDispose?: boolean;
}

/** What `spawn` starts. */
export interface SpawnOptions {
  /** Unique agent name, `[A-Za-z0-9_.-]`. */
  name: string;
  /** Working directory (the repository, when `worktree` is given). */
  cwd: string;
  model?: string;
  permissionMode?: PermissionMode;
  /** First prompt: delivered (verified) once the UI is ready. */
  prompt?: string;
  /** Extra environment; values stay in memory, only keys are written to disk. */
  env?: Record<string, string>;
  /** Session id to preset where the CLI allows it (default: a new UUID). */
  sessionId?: string;
  /** Make a git worktree `agentmux/<name>` from `baseBranch` and run the agent in it. */
  worktree?: { baseBranch: string; path?: string };
}

/** Options of `send`. */
export interface SendOptions {
  /** Press Enter after typing (default true). */
  submit?: boolean;
  /** The same key never delivers twice (persisted per agent). */
  idempotencyKey?: string;
  /** Confirmation deadline (default 30000 ms). */
  timeoutMs?: number;
  /**
   * While the agent works, keep waiting this long for the turn boundary before answering `queued`
   * (default 0: answer `queued` at once; the watchdog delivers it later).
   */
  waitMs?: number;
}

/** The checks of `spawn` options that need no I/O (name, absolute cwd, env keys, prompt bytes). */
export function checkSpawnOptions(options: SpawnOptions): void {
  assertSessionName(options.name, 'spawn.name');
  assertAbsolutePath(options.cwd, 'spawn.cwd');
  for (const key of Object.keys(options.env ?? {})) assertEnvKey(key, `spawn.env.${key}`);
  if (options.prompt !== undefined) assertDeliverableText(options.prompt, 'spawn.prompt');
}

/** The checks of `send` arguments: deliverable, non-empty text and a usable idempotency key. */
export function checkSendArgs(text: string, options: SendOptions): void {
  assertDeliverableText(text, 'send.text');
  if (text.trim() === '') throw new InvalidArgumentError('send.text', 'is empty', 'pass the message text');
  if (options.idempotencyKey !== undefined && (options.idempotencyKey === '' || options.idempotencyKey.length > 200)) {
    throw new InvalidArgumentError('send.idempotencyKey', 'must be 1-200 characters', 'pass a short unique key, e.g. a UUID');
  }
}

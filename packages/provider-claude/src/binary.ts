import { findCliBinary, whichExecutable, type BinaryInfo } from '@agentmux/core';
import type { ClaudeEnv } from './paths.js';

/** Options of `findClaudeBinary`. */
export interface FindBinaryOptions {
  /** Explicit path; when set, PATH is not searched. */
  binaryPath?: string;
  /** Name looked up on PATH (default `claude`). */
  binaryName?: string;
  /** `--version` timeout in ms (default 5000). */
  versionTimeoutMs?: number;
}

/** First executable named `name` on `pathVar` (absolute entries only). */
export function whichOnPath(name: string, pathVar: string | undefined): Promise<string | null> {
  return whichExecutable(name, { PATH: pathVar });
}

/**
 * Finds the CLI: `binaryPath` when given (must be an executable file), else the first `claude` on `env.PATH`.
 * Reads the version with `--version` under a timeout. `null` when not found.
 */
export function findClaudeBinary(env: ClaudeEnv, options: FindBinaryOptions = {}): Promise<BinaryInfo | null> {
  return findCliBinary({
    name: options.binaryName ?? 'claude',
    env,
    ...(options.binaryPath !== undefined ? { binaryPath: options.binaryPath } : {}),
    ...(options.versionTimeoutMs !== undefined ? { versionTimeoutMs: options.versionTimeoutMs } : {}),
  });
}

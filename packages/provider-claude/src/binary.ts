import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { BinaryInfo } from '@agentmux/core';
import { execa } from 'execa';
import type { ClaudeEnv } from './paths.js';

/** Default timeout of `claude --version`. */
export const DEFAULT_VERSION_TIMEOUT_MS = 5000;

async function isExecutable(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable named `name` on `pathVar` (entries split by the platform delimiter; empty entries skipped). */
export async function whichOnPath(name: string, pathVar: string | undefined): Promise<string | null> {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir.length === 0 || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

/** First line of `<path> --version`, or `null` when it fails, prints nothing or exceeds `timeoutMs`. */
export async function readVersion(path: string, env: ClaudeEnv, timeoutMs: number): Promise<string | null> {
  try {
    const result = await execa(path, ['--version'], {
      timeout: timeoutMs,
      reject: false,
      stdin: 'ignore',
      env: { ...env } as Record<string, string>,
      extendEnv: false,
    });
    if (result.exitCode !== 0 || result.timedOut) return null;
    const line = result.stdout.split('\n').find((l) => l.trim().length > 0)?.trim();
    return line ?? null;
  } catch {
    return null;
  }
}

/** Options of `findClaudeBinary`. */
export interface FindBinaryOptions {
  /** Explicit path; when set, PATH is not searched. */
  binaryPath?: string;
  /** Name looked up on PATH (default `claude`). */
  binaryName?: string;
  /** `--version` timeout in ms (default 5000). */
  versionTimeoutMs?: number;
}

/**
 * Finds the CLI: `binaryPath` when given (must be an executable file), else the first `claude` on `env.PATH`.
 * Reads the version with `--version` under a timeout. `null` when not found.
 */
export async function findClaudeBinary(env: ClaudeEnv, options: FindBinaryOptions = {}): Promise<BinaryInfo | null> {
  const path = options.binaryPath !== undefined
    ? ((await isExecutable(options.binaryPath)) ? options.binaryPath : null)
    : await whichOnPath(options.binaryName ?? 'claude', env.PATH);
  if (path === null) return null;
  const version = await readVersion(path, env, options.versionTimeoutMs ?? DEFAULT_VERSION_TIMEOUT_MS);
  return { path, version };
}

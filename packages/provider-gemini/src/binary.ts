import { DEFAULT_VERSION_TIMEOUT_MS, findCliBinary, type BinaryInfo, type EnvOptions } from '@agentmux/core';

export { DEFAULT_VERSION_TIMEOUT_MS };

/** Options of `findGeminiBinary`. */
export interface FindBinaryOptions extends EnvOptions {
  /** Executable name to look up on PATH (default `gemini`). */
  name?: string;
  /** Explicit path: used instead of the PATH lookup (`null` when it is not an executable file). */
  binaryPath?: string;
  /** Timeout of the `--version` call (default 5 s); the version is `null` when it times out or fails. */
  versionTimeoutMs?: number;
}

/** First line of `--version` output that looks like a version, else the first non-empty line. */
export function parseVersion(stdout: string): string | null {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const v = lines.find((l) => /\d+\.\d+/.test(l)) ?? lines[0];
  if (!v) return null;
  return /(\d+\.\d+(\.\d+)?([-+][\w.]+)?)/.exec(v)?.[1] ?? v;
}

/**
 * Looks for the Gemini CLI: `binaryPath` when given, else `name` in each directory of `env.PATH` (the
 * `env` option, default `process.env`). Reads the version with `<path> --version` (argv, no shell) under a
 * timeout. Returns `null` when no executable is found.
 */
export function findGeminiBinary(options: FindBinaryOptions = {}): Promise<BinaryInfo | null> {
  return findCliBinary({
    name: options.name ?? 'gemini',
    env: options.env ?? process.env,
    ...(options.binaryPath ? { binaryPath: options.binaryPath } : {}),
    ...(options.versionTimeoutMs !== undefined ? { versionTimeoutMs: options.versionTimeoutMs } : {}),
    parseVersion: (stdout) => parseVersion(stdout),
  });
}

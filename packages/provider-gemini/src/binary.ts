import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { BinaryInfo, EnvOptions } from '@agentmux/core';
import { execa } from 'execa';

/** Default timeout of `gemini --version`. */
export const DEFAULT_VERSION_TIMEOUT_MS = 5_000;

async function isExecutable(path: string): Promise<boolean> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

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
export async function findGeminiBinary(options: FindBinaryOptions = {}): Promise<BinaryInfo | null> {
  const env = options.env ?? process.env;
  let found: string | undefined;
  if (options.binaryPath) {
    if (await isExecutable(options.binaryPath)) found = options.binaryPath;
  } else {
    const name = options.name ?? 'gemini';
    for (const dir of (env['PATH'] ?? '').split(delimiter)) {
      if (!dir || !isAbsolute(dir)) continue;
      const candidate = join(dir, name);
      if (await isExecutable(candidate)) {
        found = candidate;
        break;
      }
    }
  }
  if (!found) return null;
  let version: string | null = null;
  try {
    const result = await execa(found, ['--version'], {
      // The caller's env on top of this process's (a `#!/usr/bin/env node` script still finds node).
      env: { ...env } as Record<string, string>,
      timeout: options.versionTimeoutMs ?? DEFAULT_VERSION_TIMEOUT_MS,
      reject: false,
      stdin: 'ignore',
    });
    if (result.exitCode === 0 && !result.timedOut) version = parseVersion(String(result.stdout));
  } catch {
    version = null;
  }
  return { path: found, version };
}

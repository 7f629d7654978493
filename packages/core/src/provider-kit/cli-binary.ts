import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import type { BinaryInfo } from '../spec/provider-v1.js';

/** Environment a CLI is looked up and run with. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/** Default time allowed for `<cli> --version`. */
export const DEFAULT_VERSION_TIMEOUT_MS = 5_000;

/** True when `path` is a regular file this process may execute. */
export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first executable `name` in the absolute directories of `env.PATH` (relative and empty entries are skipped:
 * they would depend on the caller's cwd). With a path separator in `name`, checks that one file only.
 */
export async function whichExecutable(name: string, env: CliEnv): Promise<string | null> {
  if (name.includes('/') || name.includes('\\')) {
    const full = isAbsolute(name) ? name : resolve(name);
    return (await isExecutableFile(full)) ? full : null;
  }
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').concat(['']) : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir.length === 0 || !isAbsolute(dir)) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** First non-empty line of the output (stdout, then stderr), trimmed. */
export function firstOutputLine(stdout: string, stderr = ''): string | null {
  return `${stdout}\n${stderr}`.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? null;
}

/**
 * Runs `<path> --version` (argv, no shell) with `env` on top of this process's environment, under a timeout.
 * `null` when it fails, times out or prints nothing; `parse` turns the output into the version string.
 */
export async function readCliVersion(
  path: string,
  env: CliEnv,
  timeoutMs = DEFAULT_VERSION_TIMEOUT_MS,
  parse: (stdout: string, stderr: string) => string | null = firstOutputLine,
): Promise<string | null> {
  try {
    const result = await execa(path, ['--version'], {
      env: env as Record<string, string | undefined>,
      timeout: timeoutMs,
      reject: false,
      stdin: 'ignore',
    });
    if (result.exitCode !== 0 || result.timedOut) return null;
    return parse(String(result.stdout), String(result.stderr));
  } catch {
    return null;
  }
}

/** What {@link findCliBinary} looks for. */
export interface FindCliBinaryOptions {
  /** Executable name looked up on `env.PATH`, e.g. `claude`. */
  name: string;
  /** Explicit path: used instead of the PATH lookup (`null` result when it is not an executable file). */
  binaryPath?: string;
  /** Environment (PATH for the lookup, and the version call's environment). */
  env: CliEnv;
  /** `--version` timeout (default 5 s); the version is `null` when it times out or fails. */
  versionTimeoutMs?: number;
  /** Turns `--version` output into the version string (default: its first non-empty line). */
  parseVersion?: (stdout: string, stderr: string) => string | null;
}

/** Finds a provider's CLI and reads its version; `null` when no executable is found. */
export async function findCliBinary(options: FindCliBinaryOptions): Promise<BinaryInfo | null> {
  const path = options.binaryPath !== undefined
    ? ((await isExecutableFile(options.binaryPath)) ? options.binaryPath : null)
    : await whichExecutable(options.name, options.env);
  if (path === null) return null;
  return { path, version: await readCliVersion(path, options.env, options.versionTimeoutMs, options.parseVersion) };
}

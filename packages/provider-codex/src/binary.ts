import { access, constants, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { BinaryInfo } from '@agentmux/core';
import { execa } from 'execa';

type Env = Readonly<Record<string, string | undefined>>;

/** Default time allowed for `codex --version`. */
export const DEFAULT_VERSION_TIMEOUT_MS = 5_000;

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up on `env.PATH` (in order); with a path separator in `name`, checks that file only. */
export async function whichExecutable(name: string, env: Env): Promise<string | null> {
  if (name.includes('/') || name.includes('\\')) {
    const full = isAbsolute(name) ? name : resolve(name);
    return (await isExecutableFile(full)) ? full : null;
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d.length > 0);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').concat(['']) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** Runs `<path> --version` with a timeout; the first non-empty line of its output, or `null`. */
export async function readVersion(path: string, env: Env, timeoutMs = DEFAULT_VERSION_TIMEOUT_MS): Promise<string | null> {
  try {
    const result = await execa(path, ['--version'], {
      timeout: timeoutMs,
      env: env as Record<string, string | undefined>,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    if (result.exitCode !== 0 || result.timedOut) return null;
    const line = `${result.stdout}\n${result.stderr}`.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
    return line ?? null;
  } catch {
    return null;
  }
}

/**
 * Finds the Codex executable: `binaryPath` when given (must be executable), else `codex` on `env.PATH`;
 * reads its version (`codex-cli 0.x.y`) with a timeout. `null` when absent.
 */
export async function findCodexBinary(env: Env, binaryPath?: string, timeoutMs?: number): Promise<BinaryInfo | null> {
  const path = await whichExecutable(binaryPath ?? 'codex', env);
  if (!path) return null;
  return { path, version: await readVersion(path, env, timeoutMs) };
}

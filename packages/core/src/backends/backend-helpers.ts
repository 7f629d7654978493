import { accessSync, constants, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { InvalidArgumentError } from '../errors/index.js';
import type { BackendStartOptions } from '../spec/session-backend-v1.js';
import { assertAbsolutePath, assertArgvString, assertEnvKey, assertSessionName } from './input-validation.js';

/** Throws `InvalidArgumentError` unless `path` is an existing directory. */
export async function assertDirectory(path: string, field: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (!info?.isDirectory()) {
    throw new InvalidArgumentError(field, `${path} is not an existing directory`, 'create the directory first or pass another cwd');
  }
}

/**
 * Checks what every backend's `start` receives: a valid session name, a non-empty command, argv strings and env
 * entries a process can carry (no NUL), an absolute existing cwd and an absolute log path. Throws
 * `InvalidArgumentError` naming the field.
 */
export async function assertStartOptions(opts: BackendStartOptions): Promise<void> {
  assertSessionName(opts.name, 'start.name');
  assertArgvString(opts.command, 'start.command');
  if (opts.command === '') throw new InvalidArgumentError('start.command', 'is empty', 'pass an executable name or path');
  opts.args.forEach((a, i) => assertArgvString(a, `start.args[${i}]`));
  assertAbsolutePath(opts.cwd, 'start.cwd');
  await assertDirectory(opts.cwd, 'start.cwd');
  for (const [key, value] of Object.entries(opts.env ?? {})) {
    assertEnvKey(key, `start.env.${key}`);
    assertArgvString(value, `start.env.${key}`);
  }
  if (opts.logFile !== undefined) assertAbsolutePath(opts.logFile, 'start.logFile');
}

/**
 * Splits `text` into pieces of at most `maxBytes` UTF-8 bytes without cutting a character (surrogate pairs
 * stay together). Used to keep each tmux command under its message size limit.
 */
export function splitForArgv(text: string, maxBytes: number): string[] {
  if (Buffer.byteLength(text) <= maxBytes) return text === '' ? [] : [text];
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > maxBytes && current !== '') {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  if (current !== '') out.push(current);
  return out;
}

/**
 * Resolves a bare command name against `pathVar` (like `execvp`), so that a tmux server started earlier with
 * another PATH still runs the intended executable. Returns `command` unchanged when it holds a `/` or is not
 * found.
 */
export function resolveExecutable(command: string, pathVar: string | undefined): string {
  if (command.includes('/') || !pathVar) return command;
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return command;
}

import { isAbsolute } from 'node:path';
import { InvalidArgumentError } from '../errors/index.js';

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/** Checks a session or agent name: 1–64 of `[A-Za-z0-9_.-]`, not starting with `.` or `-`. */
export function assertSessionName(name: unknown, field = 'name'): asserts name is string {
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw new InvalidArgumentError(
      field,
      `${JSON.stringify(name)} is not a valid name`,
      'use 1-64 characters from [A-Za-z0-9_.-], starting with a letter, digit or underscore',
    );
  }
}

function describeByte(code: number): string {
  const hex = code.toString(16).toUpperCase().padStart(code >= 0x80 ? 4 : 2, '0');
  const names: Record<number, string> = {
    0: 'NUL', 3: 'ETX (Ctrl-C)', 4: 'EOT (Ctrl-D)', 8: 'BS', 13: 'CR', 27: 'ESC', 127: 'DEL',
  };
  return `${code >= 0x80 ? 'U+' : '0x'}${hex}${names[code] ? ` ${names[code]}` : ''}`;
}

/**
 * Finds the first character that cannot be typed into an agent safely: C0 controls other than `\n` and `\t`
 * (NUL, ESC, CR, Ctrl-C …), DEL and C1 controls (U+0080–U+009F). Returns its index, or -1.
 */
export function findUnsafeControl(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return i;
  }
  return -1;
}

/**
 * Throws `InvalidArgumentError` naming the byte when `text` holds a control character that would act as a
 * key press (submit, interrupt, escape out of a bracketed paste) instead of arriving as text.
 */
export function assertDeliverableText(text: unknown, field = 'text'): asserts text is string {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError(field, `expected a string, got ${typeof text}`, 'pass the message as a string');
  }
  const at = findUnsafeControl(text);
  if (at < 0) return;
  const code = text.charCodeAt(at);
  const fix =
    code === 13
      ? 'use \\n line endings, e.g. text.replace(/\\r\\n?/g, "\\n")'
      : code === 0
        ? 'remove NUL bytes; terminals cannot carry them'
        : 'remove the control character, or press keys deliberately with sendKeys()';
  throw new InvalidArgumentError(field, `contains control character ${describeByte(code)} at index ${at}`, fix);
}

/** Throws unless `value` is an argv-safe string: no NUL byte (which the OS cannot pass). */
export function assertArgvString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(field, `expected a string, got ${typeof value}`, 'pass strings only');
  }
  if (value.includes('\0')) {
    throw new InvalidArgumentError(field, 'contains a NUL byte (0x00)', 'remove NUL bytes; process arguments cannot carry them');
  }
}

/** Throws unless `key` is a valid environment variable name. */
export function assertEnvKey(key: string, field: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new InvalidArgumentError(field, `${JSON.stringify(key)} is not a valid environment variable name`, 'use [A-Za-z_][A-Za-z0-9_]*');
  }
}

/** Throws unless `path` is absolute and free of NUL bytes. */
export function assertAbsolutePath(path: unknown, field: string): asserts path is string {
  assertArgvString(path, field);
  if (!isAbsolute(path)) {
    throw new InvalidArgumentError(field, `${JSON.stringify(path)} is not absolute`, 'pass an absolute path (path.resolve it first)');
  }
}

const SAFE_LOG_PATH_RE = /^\/[A-Za-z0-9_.@+/-]+$/;

/**
 * Throws unless `path` can be placed inside a single-quoted shell word without any escaping: absolute,
 * made only of `[A-Za-z0-9_.@+/-]`. Used for tmux `pipe-pane`, whose command tmux runs through `sh -c`.
 */
export function assertShellSafePath(path: unknown, field: string): asserts path is string {
  assertAbsolutePath(path, field);
  if (!SAFE_LOG_PATH_RE.test(path)) {
    throw new InvalidArgumentError(
      field,
      `${JSON.stringify(path)} holds characters that are not allowed in a log path`,
      'use an absolute path made of [A-Za-z0-9_.@+/-] only',
    );
  }
}

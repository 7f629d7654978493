import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/index.js';
import { splitForArgv } from './backend-helpers.js';
import { assertDeliverableText, assertSessionName, assertShellSafePath, findUnsafeControl } from './input-validation.js';
import { tmuxArg, tmuxFormatLiteral } from './tmux-args.js';

describe('input validation', () => {
  it('finds control bytes that would act as keys, and allows newline and tab', () => {
    expect(findUnsafeControl('plain\ttext\nwith $(x) and ünïcødé 🚀')).toBe(-1);
    expect(findUnsafeControl('a\rb')).toBe(1);
    expect(findUnsafeControl('\u001b[201~')).toBe(0);
    expect(findUnsafeControl('x\u007f')).toBe(1);
    expect(findUnsafeControl('x\u0085')).toBe(1);
  });

  it('names the byte, its index and the fix', () => {
    try {
      assertDeliverableText('ok\u0000', 'send.text');
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).field).toBe('send.text');
      expect((error as Error).message).toMatch(/0x00 NUL at index 2/);
      expect((error as InvalidArgumentError).fix).toMatch(/remove NUL/);
    }
    expect(() => assertDeliverableText('a\r\nb')).toThrow(/\\n line endings/);
  });

  it('accepts only simple names and shell-safe log paths', () => {
    expect(() => assertSessionName('agent-1.x_y')).not.toThrow();
    for (const bad of ['', '-x', '.x', 'a b', 'a;b', 'a/b', 'x'.repeat(65)]) expect(() => assertSessionName(bad)).toThrow(InvalidArgumentError);
    expect(() => assertShellSafePath('/tmp/state/agents/a/output.log', 'f')).not.toThrow();
    for (const bad of ["/tmp/it's.log", '/tmp/a b.log', '/tmp/$(x).log', 'relative.log']) expect(() => assertShellSafePath(bad, 'f')).toThrow(InvalidArgumentError);
  });
});

describe('tmux argument escaping', () => {
  it('keeps a trailing semicolon literal and doubles # in format-expanded options', () => {
    expect(tmuxArg('a;')).toBe('a\\;');
    expect(tmuxArg(';')).toBe('\\;');
    expect(tmuxArg('a\\;')).toBe('a\\\\;');
    expect(tmuxArg('a;b')).toBe('a;b');
    expect(tmuxFormatLiteral('/x/#{pane_pid}')).toBe('/x/##{pane_pid}');
  });

  it('splits long text without cutting characters', () => {
    const text = 'é🚀'.repeat(1000);
    const parts = splitForArgv(text, 100);
    expect(parts.join('')).toBe(text);
    expect(parts.every((p) => Buffer.byteLength(p) <= 100)).toBe(true);
    expect(splitForArgv('', 10)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { AgentmuxError } from './agentmux-error.js';
import { InvalidArgumentError } from './invalid-argument-error.js';
import { TimeoutError } from './timeout-error.js';
import { UnsupportedCapabilityError } from './unsupported-capability-error.js';

describe('errors', () => {
  it('recognise their own kind and the base kind, not each other', () => {
    const e = new UnsupportedCapabilityError('provider:codex', 'fork', 'Codex has no fork; use resume.');
    expect(UnsupportedCapabilityError.isInstance(e)).toBe(true);
    expect(AgentmuxError.isInstance(e)).toBe(true);
    expect(TimeoutError.isInstance(e)).toBe(false);
    expect(AgentmuxError.isInstance(new Error('x'))).toBe(false);
    expect(e.message).toBe('provider:codex does not support "fork". Codex has no fork; use resume.');
  });

  it('name the field and the fix, and keep the cause', () => {
    const cause = new Error('ENOENT');
    const e = new InvalidArgumentError('spawn.cwd', 'directory does not exist', 'pass an existing directory', { cause });
    expect(e.message).toBe('Invalid spawn.cwd: directory does not exist. Fix: pass an existing directory');
    expect(e.field).toBe('spawn.cwd');
    expect(e.cause).toBe(cause);
  });
});

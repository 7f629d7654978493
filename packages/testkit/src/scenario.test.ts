import { describe, expect, it } from 'vitest';
import { turnKnobs, validateScenario } from './scenario.js';
import { TestkitArgumentError } from './testkit-error.js';

function fieldOf(value: unknown): string | undefined {
  try {
    validateScenario(value);
    return undefined;
  } catch (error) {
    return TestkitArgumentError.isInstance(error) ? error.field : 'not-typed';
  }
}

describe('validateScenario', () => {
  it('accepts a full scenario', () => {
    const s = { model: 'm', turnDurationMs: 200, askPermission: 1, error: { kind: 'overloaded' }, crashAfterTurns: 2, crashMode: 'mid-turn', loop: false, hang: false, subagent: true, tokensPerTurn: 500, idleNotifyMs: 100, turns: [{ answer: 'x', tools: [{ kind: 'shell', command: 'ls' }] }] };
    expect(validateScenario(s)).toBe(s);
  });

  it('names the offending field', () => {
    expect(fieldOf([])).toBe('scenario');
    expect(fieldOf({ turnDurationMs: -1 })).toBe('turnDurationMs');
    expect(fieldOf({ bogus: 1 })).toBe('bogus');
    expect(fieldOf({ crashMode: 'later' })).toBe('crashMode');
    expect(fieldOf({ error: { kind: 'meteor' } })).toBe('error.kind');
    expect(fieldOf({ turns: [{}, { tools: [{ kind: 'shell' }] }] })).toBe('turns[1].tools[0].command');
    expect(fieldOf({ turns: [{ model: 'x' }] })).toBe('turns[0].model');
  });

  it('merges per-turn entries over the top-level defaults', () => {
    const s = validateScenario({ turnDurationMs: 100, askPermission: true, turns: [{}, { askPermission: false }] });
    expect(turnKnobs(s, 0)).toMatchObject({ turnDurationMs: 100, askPermission: true });
    expect(turnKnobs(s, 1)).toMatchObject({ turnDurationMs: 100, askPermission: false });
    expect(turnKnobs(s, 5)).toMatchObject({ askPermission: true });
  });
});

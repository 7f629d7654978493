import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { checkBudget, parseBudgets } from './budgets.js';

const usd = (v: number | null, priced = v ?? 0) => ({ usd: v, pricedUsd: priced, unpricedModels: v === null ? ['mystery-1'] : [], ...(v === null ? { reason: 'unknown model "mystery-1"' } : {}) });

describe('parseBudgets', () => {
  it('accepts valid rules', () => {
    expect(parseBudgets([{ scope: 'agent', maxUsd: 5, action: 'kill' }, { scope: 'day', maxTokens: 1000 }])).toHaveLength(2);
  });
  it.each([
    [[{ scope: 'agent' }], /budgets\[0\]: has neither maxUsd nor maxTokens/],
    [[{ scope: 'agent', maxUsd: -1 }], /budgets\[0\]\.maxUsd/],
    [[{ scope: 'week', maxUsd: 1 }], /budgets\[0\]\.scope/],
    [[{ scope: 'total', maxUsd: 1, only: 'x' }], /budgets\[0\]\.only/],
    [[{ scope: 'agent', maxUsd: 1, acton: 'kill' }], /budgets\[0\]/],
    ['nope', /Invalid budgets: must be an array/],
  ])('names the field of a bad rule %j', (input, message) => {
    const run = () => parseBudgets(input);
    expect(run).toThrow(InvalidArgumentError);
    expect(run).toThrow(message);
  });
});

describe('checkBudget', () => {
  const rule = { scope: 'agent' as const, maxUsd: 5, action: 'kill' as const };
  it('says exceeded with the spend and the limit', () => {
    const v = checkBudget(rule, 'agent claude-1', { cost: usd(5.123), tokens: 10 });
    expect(v.level).toBe('exceeded');
    expect(v.reason).toBe('agent claude-1 spent $5.12 > per-agent budget $5.00');
  });
  it('warns at 80% by default', () => {
    expect(checkBudget(rule, 'a', { cost: usd(4.2), tokens: 0 }).level).toBe('warning');
    expect(checkBudget(rule, 'a', { cost: usd(3.9), tokens: 0 }).level).toBe('ok');
    expect(checkBudget({ ...rule, warnAt: 1 }, 'a', { cost: usd(4.9), tokens: 0 }).level).toBe('ok');
  });
  it('never counts an unknown cost as zero', () => {
    const v = checkBudget(rule, 'agent x', { cost: usd(null, 1), tokens: 0 });
    expect(v.level).toBe('unknown-cost');
    expect(v.reason).toContain('unknown model "mystery-1"');
    const over = checkBudget(rule, 'agent x', { cost: usd(null, 7), tokens: 0 });
    expect(over.level).toBe('exceeded');
    expect(over.reason).toMatch(/at least \$7\.00 > per-agent budget \$5\.00/);
  });
  it('checks tokens', () => {
    const v = checkBudget({ scope: 'total', maxTokens: 1000 }, 'the fleet', { cost: usd(0), tokens: 1500 });
    expect(v.reason).toBe('the fleet used 1,500 tokens > total budget 1,000 tokens');
  });
});

import { defaultPriceTable, resolveModelPrice } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { claudeModelCandidates, claudePrices, isClaudeModel } from './pricing.js';

describe('claude prices', () => {
  it('holds only Claude models of the core table, with the documented prices', () => {
    const names = Object.keys(claudePrices.models);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.startsWith('claude-'))).toBe(true);
    expect(names).toContain('claude-sonnet-4-5-20250929');
    expect(claudePrices.asOf).toBe(defaultPriceTable.asOf);
    expect(claudePrices.models['claude-opus-4-5']?.input_cost_per_token).toBeCloseTo(5e-6, 12);
    expect(claudePrices.models['claude-haiku-4-5']?.cache_read_input_token_cost).toBeCloseTo(0.1e-6, 12);
    expect(Object.keys(defaultPriceTable.models).some((n) => n.startsWith('gpt-'))).toBe(true);
    expect(names.some((n) => n.startsWith('gpt-') || n.includes('gemini'))).toBe(false);
  });

  it('resolves the names written on disk through the core resolver', () => {
    for (const onDisk of ['claude-sonnet-4-5-20250929', 'anthropic/claude-haiku-4-5', 'claude-opus-4-6']) {
      expect(resolveModelPrice(claudePrices, onDisk)).not.toBeNull();
    }
  });

  it('recognises Claude model names and builds lookup candidates', () => {
    expect(isClaudeModel('claude-sonnet-4-5-20250929')).toBe(true);
    expect(isClaudeModel('anthropic/claude-opus-4-1')).toBe(true);
    expect(isClaudeModel('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(true);
    expect(isClaudeModel('gpt-5-codex')).toBe(false);
    expect(isClaudeModel('<synthetic>')).toBe(false);
    expect(claudeModelCandidates('anthropic/claude-sonnet-4-5-20250929[1m]')).toEqual([
      'anthropic/claude-sonnet-4-5-20250929[1m]',
      'anthropic/claude-sonnet-4-5-20250929',
      'claude-sonnet-4-5-20250929',
      'claude-sonnet-4-5',
    ]);
    expect(claudeModelCandidates('claude-haiku-4-5')).toEqual(['claude-haiku-4-5']);
  });
});

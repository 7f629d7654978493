import { describe, expect, it } from 'vitest';
import type { PriceTable } from '../spec/model-price.js';
import { defaultPriceTable } from './price-table.js';
import { resolveModelPrice } from './resolve-model-price.js';

const r = (model: string, table: PriceTable = defaultPriceTable) => {
  const hit = resolveModelPrice(table, model);
  return hit ? [hit.name, hit.how] : null;
};

describe('resolveModelPrice', () => {
  it('answers per table even when the same model is asked twice in a row', () => {
    const a: PriceTable = { asOf: '2026-01-01', source: 'a', models: { 'm-1': { input_cost_per_token: 1, output_cost_per_token: 2 } } };
    const b: PriceTable = { asOf: '2026-01-01', source: 'b', models: { 'other-2': { input_cost_per_token: 3, output_cost_per_token: 4 } } };
    expect(resolveModelPrice(a, 'm-1')?.price.input_cost_per_token).toBe(1);
    expect(resolveModelPrice(a, 'm-1')?.price.input_cost_per_token).toBe(1);
    expect(resolveModelPrice(b, 'm-1')).toBeNull();
    expect(resolveModelPrice(a, 'm-1')?.name).toBe('m-1');
  });

  it('matches exact names first', () => {
    expect(r('claude-sonnet-4-5-20250929')).toEqual(['claude-sonnet-4-5-20250929', 'exact']);
    expect(r('gpt-5.1-codex')).toEqual(['gpt-5.1-codex', 'exact']);
  });

  it('strips and adds provider prefixes', () => {
    expect(r('anthropic/claude-sonnet-4-5-20250929')).toEqual(['claude-sonnet-4-5-20250929', 'prefix']);
    expect(r('openai/gpt-5')).toEqual(['gpt-5', 'prefix']);
    expect(r('models/gemini-2.5-pro')).toEqual(['gemini-2.5-pro', 'prefix']);
    expect(r('bedrock/us.anthropic.claude-opus-4-1-20250805-v1:0')).toEqual(['claude-opus-4-1-20250805', 'prefix']);
    const onlyPrefixed: PriceTable = { asOf: 'x', source: 'x', models: { 'gemini/gemini-9': { input_cost_per_token: 1 } } };
    expect(r('gemini-9', onlyPrefixed)).toEqual(['gemini/gemini-9', 'prefix']);
  });

  it('strips and adds date suffixes', () => {
    expect(r('claude-sonnet-4-5@20250929')).toEqual(['claude-sonnet-4-5', 'date']);
    expect(r('claude-sonnet-4-5-20991231')).toEqual(['claude-sonnet-4-5', 'date']);
    expect(r('claude-sonnet-4')).toEqual(['claude-sonnet-4-20250514', 'date']);
    expect(r('vertex_ai/claude-haiku-4-5@20251001')).toEqual(['claude-haiku-4-5', 'date']);
  });

  it('falls back to the closest same-family, same-version name', () => {
    expect(r('claude-sonnet-4-5-x')).toEqual(['claude-sonnet-4-5', 'closest']);
    expect(r('gpt-5.1-codex-max')).toEqual(['gpt-5.1-codex', 'closest']);
    expect(r('gemini-2.5-pro-preview-06-05')).toEqual(['gemini-2.5-pro', 'closest']);
  });

  it('never crosses versions or price-changing variants', () => {
    const t: PriceTable = { asOf: 'x', source: 'x', models: { 'claude-sonnet-4': { input_cost_per_token: 1 }, 'gpt-5': { input_cost_per_token: 1 } } };
    expect(r('claude-sonnet-4-5-x', t)).toBeNull();
    expect(r('claude-sonnet-4-5', t)).toBeNull();
    expect(r('gpt-5.1', t)).toBeNull();
    expect(r('gpt-5-mini', t)).toBeNull();
    expect(r('claude-sonnet-4-thinking', t)).toEqual(['claude-sonnet-4', 'closest']);
  });

  it('returns null for unknown and empty names', () => {
    expect(r('llama-3-70b')).toBeNull();
    expect(r('')).toBeNull();
    expect(r('claude')).toBeNull();
  });
});

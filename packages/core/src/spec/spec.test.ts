import { describe, expect, it } from 'vitest';
import { addCost, zeroCost } from './cost.js';
import { PriceTableSchema } from './model-price.js';
import { TranscriptDeltaSchema } from './transcript.js';
import { addUsage, emptyUsage, totalTokens, UsageSchema } from './usage.js';

describe('Usage', () => {
  it('adds every column and totals billed tokens without counting reasoning twice', () => {
    const a = { ...emptyUsage(), input: 10, output: 20, reasoning: 5, cacheRead: 100, cacheWrite5m: 3, cacheWrite1h: 4, webSearchRequests: 1 };
    const b = { ...emptyUsage(), input: 1, output: 2, reasoning: 1 };
    const sum = addUsage({ ...a }, b);
    expect(sum).toEqual({ input: 11, output: 22, cacheWrite5m: 3, cacheWrite1h: 4, cacheRead: 100, reasoning: 6, webSearchRequests: 1 });
    expect(totalTokens(sum)).toBe(11 + 22 + 3 + 4 + 100);
  });

  it('rejects negative and fractional token counts', () => {
    expect(UsageSchema.safeParse({ ...emptyUsage(), input: -1 }).success).toBe(false);
    expect(UsageSchema.safeParse({ ...emptyUsage(), output: 1.5 }).success).toBe(false);
  });
});

describe('Cost', () => {
  it('stays unknown once any part is unknown, and keeps the priced part and model names', () => {
    const known = { usd: 1.5, pricedUsd: 1.5, unpricedModels: [] };
    const unknown = { usd: null, pricedUsd: 0, reason: 'unknown model "foo-1"', unpricedModels: ['foo-1'] };
    const sum = addCost(addCost(zeroCost(), known), unknown);
    expect(sum.usd).toBeNull();
    expect(sum.pricedUsd).toBe(1.5);
    expect(sum.unpricedModels).toEqual(['foo-1']);
    expect(sum.reason).toContain('foo-1');
    expect(addCost(known, known)).toEqual({ usd: 3, pricedUsd: 3, unpricedModels: [] });
  });
});

describe('schemas', () => {
  it('accept LiteLLM price fields and keep unknown ones', () => {
    const table = PriceTableSchema.parse({
      asOf: '2026-11-01',
      source: 'test',
      models: { m: { input_cost_per_token: 1e-6, max_tokens: 8192, provider_specific_entry: { fast: 6 } } },
    });
    expect(table.models.m?.input_cost_per_token).toBe(1e-6);
    expect((table.models.m as Record<string, unknown>).max_tokens).toBe(8192);
  });

  it('require a transcript delta to carry offsets and skip counts', () => {
    const base = { fromOffset: 0, nextOffset: 10, session: { models: [] }, turns: [], usage: [], retractedKeys: [], signals: [], skipped: {}, unknownTypes: {} };
    expect(TranscriptDeltaSchema.safeParse(base).success).toBe(true);
    expect(TranscriptDeltaSchema.safeParse({ ...base, nextOffset: -1 }).success).toBe(false);
    expect(TranscriptDeltaSchema.safeParse({ ...base, skipped: { 'invalid-json': 'x' } }).success).toBe(false);
  });
});

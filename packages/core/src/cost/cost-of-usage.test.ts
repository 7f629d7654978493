import { describe, expect, it } from 'vitest';
import type { ModelPrice } from '../spec/model-price.js';
import type { UsageRecord } from '../spec/transcript.js';
import { emptyUsage, type Usage } from '../spec/usage.js';
import { costOfRecord, costOfUsage } from './cost-of-usage.js';
import { defaultPriceTable } from './price-table.js';

const M = 1e-6;
const u = (p: Partial<Usage>): Usage => ({ ...emptyUsage(), ...p });
const sonnet45 = defaultPriceTable.models['claude-sonnet-4-5'] as ModelPrice;
const rec = (p: Partial<UsageRecord>): UsageRecord => ({ timestamp: '2026-01-01T00:00:00.000Z', sessionId: 's', providerId: 'claude', usage: emptyUsage(), ...p });

describe('costOfUsage', () => {
  it('prices every bucket separately', () => {
    const c = costOfUsage(u({ input: 1000, output: 2000, cacheWrite5m: 3000, cacheWrite1h: 4000, cacheRead: 5000, reasoning: 999 }), sonnet45);
    expect(c.usd).toBeCloseTo(1000 * 3 * M + 2000 * 15 * M + 3000 * 3.75 * M + 4000 * 6 * M + 5000 * 0.3 * M, 12);
    expect(c.pricedUsd).toBe(c.usd);
  });

  it('falls back to 2x input for 1h writes and the input price for reads', () => {
    const c = costOfUsage(u({ cacheWrite1h: 1_000_000, cacheRead: 1_000_000 }), { input_cost_per_token: 2 * M, output_cost_per_token: 1 * M });
    expect(c.usd).toBeCloseTo(4 + 2, 9);
  });

  it('applies the 200k tier per bucket (ccusage rule)', () => {
    const c = costOfUsage(u({ input: 250_000, output: 100 }), sonnet45, { tier: 'per-bucket' });
    expect(c.usd).toBeCloseTo(200_000 * 3 * M + 50_000 * 6 * M + 100 * 15 * M, 9);
    const below = costOfUsage(u({ input: 10, cacheRead: 250_000 }), sonnet45, { tier: 'per-bucket' });
    expect(below.usd).toBeCloseTo(10 * 3 * M + 200_000 * 0.3 * M + 50_000 * 0.6 * M, 9);
  });

  it('applies the 200k tier per request once the input side passes 200k', () => {
    const usage = u({ input: 10, cacheRead: 250_000, cacheWrite5m: 100, output: 1000 });
    const c = costOfUsage(usage, sonnet45, { tier: 'per-request' });
    expect(c.usd).toBeCloseTo(10 * 6 * M + 250_000 * 0.6 * M + 100 * 7.5 * M + 1000 * 22.5 * M, 9);
    const small = costOfUsage(u({ input: 100_000, output: 300_000 }), sonnet45, { tier: 'per-request' });
    expect(small.usd).toBeCloseTo(100_000 * 3 * M + 300_000 * 15 * M, 9);
  });

  it('multiplies by the fast factor', () => {
    const opus = defaultPriceTable.models['claude-opus-4-6'] as ModelPrice;
    const base = costOfUsage(u({ input: 1000, output: 1000 }), opus);
    const fast = costOfUsage(u({ input: 1000, output: 1000 }), opus, { fast: true });
    expect(fast.usd).toBeCloseTo((base.usd ?? 0) * 6, 12);
  });

  it('is unknown, not zero, when a needed price is missing', () => {
    const c = costOfUsage(u({ output: 5 }), { input_cost_per_token: 1 * M });
    expect(c.usd).toBeNull();
    expect(c.reason).toMatch(/output_cost_per_token/);
  });
});

describe('costOfRecord', () => {
  it('resolves the model and prices the record', () => {
    const c = costOfRecord(rec({ model: 'claude-opus-4-5-20250929', usage: u({ input: 1_000_000 }) }), defaultPriceTable);
    expect(c.usd).toBeCloseTo(5, 9);
  });

  it('reports unknown models and records without a model', () => {
    const c = costOfRecord(rec({ model: 'mystery-1', usage: u({ input: 5 }) }), defaultPriceTable);
    expect(c).toMatchObject({ usd: null, pricedUsd: 0, unpricedModels: ['mystery-1'] });
    expect(c.reason).toContain('unknown model "mystery-1"');
    const none = costOfRecord(rec({ usage: u({ input: 5 }) }), defaultPriceTable);
    expect(none.usd).toBeNull();
    expect(none.reason).toMatch(/names no model/);
  });

  it('uses costUSD in display and auto modes only', () => {
    const r = rec({ model: 'claude-opus-4-5', usage: u({ input: 1_000_000 }), costUSD: 1.5 });
    expect(costOfRecord(r, defaultPriceTable).usd).toBeCloseTo(5, 9);
    expect(costOfRecord(r, defaultPriceTable, { mode: 'display' }).usd).toBe(1.5);
    expect(costOfRecord(r, defaultPriceTable, { mode: 'auto' }).usd).toBe(1.5);
    const bare = rec({ model: 'claude-opus-4-5', usage: u({ input: 1_000_000 }) });
    expect(costOfRecord(bare, defaultPriceTable, { mode: 'auto' }).usd).toBeCloseTo(5, 9);
    expect(costOfRecord(bare, defaultPriceTable, { mode: 'display' }).usd).toBeNull();
  });
});

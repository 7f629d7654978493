import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PriceTableError } from '../errors/price-table-error.js';
import { PriceTableSchema } from '../spec/model-price.js';
import defaultPricesJson from './default-prices.json' with { type: 'json' };
import { loadPriceTable } from './load-price-table.js';
import { defaultPriceTable, mergePriceTables, selectPrices } from './price-table.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('defaultPriceTable', () => {
  it('is the bundled JSON, valid as it is (it is not parsed at load time)', () => {
    expect(defaultPriceTable).toEqual(PriceTableSchema.parse(defaultPricesJson));
    expect(Object.isFrozen(defaultPriceTable)).toBe(true);
  });

  it('is dated, sourced from LiteLLM and holds the reference models with dated aliases', () => {
    expect(defaultPriceTable.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(defaultPriceTable.source).toBe('LiteLLM model_prices_and_context_window.json');
    for (const name of ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-opus-4-20250514', 'claude-sonnet-4-20250514',
      'claude-haiku-4-5', 'claude-opus-4-6', 'gpt-5', 'gpt-5-codex', 'gpt-5.1-codex', 'gpt-5.2-codex', 'gpt-5.3-codex', 'gemini-2.5-pro', 'gemini-2.5-flash']) {
      expect(defaultPriceTable.models[name], name).toBeDefined();
      expect(defaultPriceTable.models[name]?.litellm_provider, name).toBeTruthy();
    }
  });

  it('carries the reference prices per token', () => {
    const s = defaultPriceTable.models['claude-sonnet-4-5'];
    expect(s?.input_cost_per_token).toBeCloseTo(3e-6, 15);
    expect(s?.cache_creation_input_token_cost_above_1hr).toBeCloseTo(6e-6, 15);
    expect(s?.output_cost_per_token_above_200k_tokens).toBeCloseTo(22.5e-6, 15);
    expect(defaultPriceTable.models['claude-opus-4-6']?.provider_specific_entry?.fast).toBe(6);
    expect(defaultPriceTable.models['claude-sonnet-4-20250514']?.cache_creation_input_token_cost_above_1hr).toBeUndefined();
    expect(defaultPriceTable.models['gemini-2.5-pro']?.cache_read_input_token_cost_above_200k_tokens).toBeCloseTo(0.25e-6, 15);
  });
});

describe('selectPrices / mergePriceTables', () => {
  it('selects by predicate', () => {
    const openai = selectPrices(defaultPriceTable, (_n, p) => p.litellm_provider === 'openai');
    expect(Object.keys(openai.models).every((n) => n.startsWith('gpt-'))).toBe(true);
    expect(openai.models['gpt-5']).toBeDefined();
    expect(openai.asOf).toBe(defaultPriceTable.asOf);
  });

  it('merges field by field, override winning', () => {
    const merged = mergePriceTables(defaultPriceTable, {
      asOf: '2027-01-01',
      source: 'mine',
      models: { 'gpt-5': { input_cost_per_token: 1e-6 }, 'new-model': { input_cost_per_token: 2e-6 } },
    });
    expect(merged.models['gpt-5']?.input_cost_per_token).toBe(1e-6);
    expect(merged.models['gpt-5']?.output_cost_per_token).toBeCloseTo(10e-6, 15);
    expect(merged.models['new-model']).toBeDefined();
    expect(merged.asOf).toBe('2027-01-01');
    expect(defaultPriceTable.models['gpt-5']?.input_cost_per_token).toBeCloseTo(1.25e-6, 15);
  });
});

describe('loadPriceTable', () => {
  it('loads an object and validates it', () => {
    const t = loadPriceTable({ asOf: '2026-01-01', source: 's', models: { m: { input_cost_per_token: 1e-6 } } });
    expect(t.models['m']?.input_cost_per_token).toBe(1e-6);
  });

  it('names the offending field of a bad file', () => {
    let error: unknown;
    try {
      loadPriceTable(fixture('bad-prices.json'));
    } catch (e) {
      error = e;
    }
    expect(PriceTableError.isInstance(error)).toBe(true);
    const e = error as PriceTableError;
    expect(e.field).toBe('models.gpt-5.input_cost_per_token');
    expect(e.message).toContain('bad-prices.json');
    expect(e.fix).toMatch(/non-negative numbers/);
  });

  it('rejects a missing file and invalid JSON with a typed error', () => {
    expect(() => loadPriceTable('/nonexistent/prices.json')).toThrow(/cannot be read/);
    expect(() => loadPriceTable({ asOf: 3, source: 's', models: {} })).toThrow(PriceTableError);
    try {
      loadPriceTable({ source: 's', models: {} });
    } catch (e) {
      expect((e as PriceTableError).field).toBe('asOf');
    }
  });

  it("accepts LiteLLM's raw file, ignoring sample_spec", () => {
    const t = loadPriceTable(fixture('raw-litellm.json'));
    expect(Object.keys(t.models)).toEqual(['my-model']);
    expect(t.source).toContain('LiteLLM');
  });
});

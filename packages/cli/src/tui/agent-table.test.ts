import { describe, expect, it } from 'vitest';
import { FIXED_NOW, agent } from './__fixtures__/agents.js';
import { orderRows, renderTable, topColumns, totals } from './agent-table.js';
import { createPaint, formatAge, formatCost, formatTokens, stripAnsi } from './format.js';

const agents = [
  agent({ name: 'cheap', pid: 10, usd: 0.5, ageS: 30 }),
  agent({ name: 'pricey', pid: 11, usd: 7.25, ageS: 3600 }),
  agent({ name: 'mid', pid: 12, usd: 2, ageS: 600, provider: 'codex', model: 'gpt-5-codex', project: 'other' }),
  agent({ name: 'sub-of-cheap', pid: 13, usd: 9, ageS: 10, parent: 'claude-10' }),
  agent({ name: 'unknown', pid: 14, usd: null, pricedUsd: 0.4 }),
];

describe('orderRows', () => {
  it('sorts top-level agents by cost (unknown by its priced part) and keeps subagents under their parent', () => {
    expect(orderRows(agents, 'cost', '', FIXED_NOW).map((r) => `${'-'.repeat(r.depth)}${r.agent.name}`)).toEqual(['pricey', 'mid', 'cheap', '-sub-of-cheap', 'unknown']);
  });
  it('sorts by age (oldest first) and by name', () => {
    expect(orderRows(agents, 'age', '', FIXED_NOW).map((r) => r.agent.name)[0]).toBe('pricey');
    expect(orderRows(agents, 'name', '', FIXED_NOW).map((r) => r.agent.name)).toEqual(['cheap', 'sub-of-cheap', 'mid', 'pricey', 'unknown']);
  });
  it('filters on name, provider, project and state; a matching subagent keeps its parent', () => {
    expect(orderRows(agents, 'name', 'codex').map((r) => r.agent.name)).toEqual(['mid']);
    expect(orderRows(agents, 'name', 'other').map((r) => r.agent.name)).toEqual(['mid']);
    expect(orderRows(agents, 'name', 'sub-of').map((r) => r.agent.name)).toEqual(['cheap', 'sub-of-cheap']);
  });
});

describe('totals', () => {
  it('adds costs, keeps unknown unknown, and counts agents without a session', () => {
    const t = totals([...agents, agent({ name: 'fresh', pid: 20, session: false, usd: null })]);
    expect(t.cost.usd).toBeNull();
    expect(t.cost.pricedUsd).toBeCloseTo(0.5 + 7.25 + 2 + 9 + 0.4, 10);
    expect(t.withoutSession).toBe(1);
    expect(t.tokensIn).toBe(5000);
  });
});

describe('formatting', () => {
  it('formats ages, tokens and costs', () => {
    expect([formatAge(42_000), formatAge(7 * 60_000), formatAge(3 * 3600_000 + 12 * 60_000), formatAge(50 * 3600_000)]).toEqual(['42s', '7m', '3h12', '2d2h']);
    expect([formatTokens(950), formatTokens(12_345), formatTokens(456_000), formatTokens(4_560_000)]).toEqual(['950', '12.3k', '456k', '4.56M']);
    expect(formatCost({ usd: 1.234, pricedUsd: 1.234, unpricedModels: [] })).toBe('$1.23');
    expect(formatCost({ usd: null, pricedUsd: 0.4, unpricedModels: ['x'] })).toBe('>$0.40?');
  });
});

describe('top columns', () => {
  it('fit 80 columns with the header, long names and every state', () => {
    const long = [...agents, agent({ name: 'a-very-long-agent-name-that-goes-on', pid: 99999, state: 'waiting-permission', usd: 123.45, input: 99_999_999, output: 12_345_678, project: 'a-long-project-name' })];
    const lines = renderTable(orderRows(long, 'cost', '', FIXED_NOW), topColumns(80), createPaint(true), FIXED_NOW, 1);
    for (const l of lines) expect(stripAnsi(l).length).toBeLessThanOrEqual(80);
    expect(stripAnsi(lines[0] as string)).toMatch(/^NAME\s+PROV\s+MODEL\s+STATUS\s+AGE\s+IN\s+OUT\s+COST\s+PROJECT/);
  });
  it('colour bands the cost: green < $1, yellow < $5, red >= $5, magenta unknown', () => {
    const lines = renderTable(orderRows(agents, 'name', '', FIXED_NOW), topColumns(80), createPaint(true), FIXED_NOW);
    const colourOf = (name: string, cost: string) => {
      const line = lines.find((l) => stripAnsi(l).startsWith(`${name} `)) ?? '';
      const at = line.indexOf(cost);
      return new RegExp(`${String.fromCharCode(27)}\\[(\\d+)m *$`).exec(line.slice(0, at))?.[1];
    };
    expect(colourOf('cheap', '$0.50')).toBe('32');
    expect(colourOf('mid', '$2.00')).toBe('33');
    expect(colourOf('pricey', '$7.25')).toBe('31');
    expect(colourOf('unknown', '>$0.40?')).toBe('35');
  });
});

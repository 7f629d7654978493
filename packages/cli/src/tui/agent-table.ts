import { addCost, zeroCost, type Cost, type FleetAgent } from '@agentmux/core';
import { costStyle, fit, formatAge, formatCost, formatTokens, shortModel, stateLabel, stateStyle, type Paint, type Style } from './format.js';

/** Sort keys of the tables. */
export type SortKey = 'cost' | 'age' | 'name';
export const SORT_KEYS: readonly SortKey[] = ['cost', 'age', 'name'];

/** One table row: an agent and its nesting depth (subagents sit under their parent). */
export interface AgentRow {
  agent: FleetAgent;
  depth: number;
}

/** Tokens read by the model (input, cache writes and reads). */
export function tokensIn(a: FleetAgent): number {
  const u = a.usage;
  return u.input + u.cacheWrite5m + u.cacheWrite1h + u.cacheRead;
}

function ageMs(a: FleetAgent, now: number): number {
  const t = Date.parse(a.startedAt ?? '');
  return Number.isNaN(t) ? -1 : now - t;
}

function compare(sort: SortKey, now: number): (x: FleetAgent, y: FleetAgent) => number {
  if (sort === 'name') return (x, y) => x.name.localeCompare(y.name) || x.pid - y.pid;
  if (sort === 'age') return (x, y) => ageMs(y, now) - ageMs(x, now) || x.pid - y.pid;
  // cost: highest first; unknown counts its priced part and sorts above an equal known cost
  return (x, y) => (y.cost.usd ?? y.cost.pricedUsd + 1e-9) - (x.cost.usd ?? x.cost.pricedUsd + 1e-9) || x.name.localeCompare(y.name);
}

/** True when `filter` (case-insensitive) appears in the agent's name, provider, model, status, project or pid. */
export function matchesFilter(a: FleetAgent, filter: string): boolean {
  if (!filter) return true;
  const f = filter.toLowerCase();
  return [a.name, a.providerId, a.model ?? '', a.status.state, a.project ?? '', String(a.pid)].some((s) => s.toLowerCase().includes(f));
}

/**
 * Orders agents for display: top-level agents sorted by `sort`, each followed by its subagents (depth 1+).
 * With a filter, an agent shows when it or any of its subagents matches.
 */
export function orderRows(agents: readonly FleetAgent[], sort: SortKey, filter = '', now = Date.now()): AgentRow[] {
  const byId = new Map(agents.map((a) => [a.id, a]));
  const kids = new Map<string, FleetAgent[]>();
  const roots: FleetAgent[] = [];
  for (const a of agents) {
    if (a.parentAgentId && byId.has(a.parentAgentId)) kids.set(a.parentAgentId, [...(kids.get(a.parentAgentId) ?? []), a]);
    else roots.push(a);
  }
  const cmp = compare(sort, now);
  const out: AgentRow[] = [];
  const anyMatch = (a: FleetAgent): boolean => matchesFilter(a, filter) || (kids.get(a.id) ?? []).some(anyMatch);
  const walk = (a: FleetAgent, depth: number) => {
    if (!anyMatch(a)) return;
    out.push({ agent: a, depth });
    for (const k of [...(kids.get(a.id) ?? [])].sort(cmp)) walk(k, depth + 1);
  };
  for (const r of roots.sort(cmp)) walk(r, 0);
  return out;
}

/** Fleet totals over the given agents: tokens and cost of agents with a session, and how many have none. */
export function totals(agents: readonly FleetAgent[]): { agents: number; tokensIn: number; tokensOut: number; cost: Cost; withoutSession: number } {
  let cost = zeroCost();
  let tin = 0;
  let tout = 0;
  let withoutSession = 0;
  for (const a of agents) {
    if (!a.sessionId) {
      withoutSession += 1;
      continue;
    }
    cost = addCost(cost, a.cost);
    tin += tokensIn(a);
    tout += a.usage.output;
  }
  return { agents: agents.length, tokensIn: tin, tokensOut: tout, cost, withoutSession };
}

/** One column of a table. */
export interface Column {
  title: string;
  /** Fixed width; `0` means "as wide as the content" (ps) or "the rest" (top, one column only). */
  width: number;
  align: 'left' | 'right';
  value(row: AgentRow, now: number): string;
  style?(row: AgentRow): Style | undefined;
}

const name: Column = { title: 'NAME', width: 0, align: 'left', value: (r) => `${r.depth > 0 ? `${'  '.repeat(r.depth - 1)}└ ` : ''}${r.agent.paused ? '⏸' : ''}${r.agent.name}` };
const provider: Column = { title: 'PROV', width: 6, align: 'left', value: (r) => r.agent.providerId };
const model: Column = { title: 'MODEL', width: 0, align: 'left', value: (r) => shortModel(r.agent.model) };
const status: Column = { title: 'STATUS', width: 7, align: 'left', value: (r) => stateLabel(r.agent.status.state), style: (r) => stateStyle(r.agent.status.state) };
const project: Column = { title: 'PROJECT', width: 0, align: 'left', value: (r) => r.agent.project ?? '-' };
const age: Column = { title: 'AGE', width: 5, align: 'right', value: (r, now) => formatAge(ageMs(r.agent, now)) };
const tin: Column = { title: 'IN', width: 6, align: 'right', value: (r) => (r.agent.sessionId ? formatTokens(tokensIn(r.agent)) : '-') };
const tout: Column = { title: 'OUT', width: 6, align: 'right', value: (r) => (r.agent.sessionId ? formatTokens(r.agent.usage.output) : '-') };
const cost: Column = { title: 'COST', width: 9, align: 'right', value: (r) => (r.agent.sessionId ? formatCost(r.agent.cost) : '-'), style: (r) => (r.agent.sessionId ? costStyle(r.agent.cost) : undefined) };
const pid: Column = { title: 'PID', width: 7, align: 'right', value: (r) => String(r.agent.pid) };
const subs: Column = { title: 'SUB', width: 3, align: 'right', value: (r) => String(r.agent.subagentIds.length) };

/** `agentmux ps` columns (widths follow the content). */
export const PS_COLUMNS: readonly Column[] = [name, { ...provider, width: 0 }, model, { ...status, width: 0, value: (r) => r.agent.status.state }, project, age, tin, tout, cost, pid, subs];

/** `agentmux top` columns for a given terminal width (at least 80): NAME takes what is left. */
export function topColumns(width: number): Column[] {
  const fixed: Column[] = [{ ...provider }, { ...model, width: 11 }, status, age, tin, tout, cost, { ...project, width: 10 }];
  const used = fixed.reduce((s, c) => s + c.width + 1, 0);
  const nameWidth = Math.max(8, Math.max(80, width) - used - 1);
  return [{ ...name, width: nameWidth }, ...fixed];
}

/** Renders rows as table lines (header first). Columns of width 0 take the widest value. */
export function renderTable(rows: readonly AgentRow[], columns: readonly Column[], paint: Paint, now = Date.now(), selected = -1): string[] {
  const cells = rows.map((r) => columns.map((c) => c.value(r, now)));
  const widths = columns.map((c, i) => (c.width > 0 ? c.width : Math.max(c.title.length, ...cells.map((row) => [...(row[i] ?? '')].length))));
  const header = paint(columns.map((c, i) => fit(c.title, widths[i] ?? 0, c.align)).join(' '), 'bold');
  const lines = rows.map((r, ri) => {
    const parts = columns.map((c, i) => {
      const text = fit(cells[ri]?.[i] ?? '', widths[i] ?? 0, c.align);
      const style = c.style?.(r);
      return style && ri !== selected ? paint(text, style) : text;
    });
    const line = parts.join(' ');
    return ri === selected ? paint(line, 'inverse') : line;
  });
  return [header, ...lines];
}

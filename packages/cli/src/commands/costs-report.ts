import type { CostAggregate, UsageLedger } from '@agentmux/core';
import type { CostsArgs } from './costs-args.js';

/** One row of `agentmux costs --json`. */
export interface CostsJsonRow {
  key: string;
  provider: string;
  sessionId?: string;
  project?: string;
  models: string[];
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
  costUSD: number | null;
  unpricedModels: string[];
}

/** The `agentmux costs --json` document. */
export interface CostsJson {
  rows: CostsJsonRow[];
  totals: Omit<CostsJsonRow, 'key' | 'provider' | 'sessionId' | 'project' | 'models' | 'unpricedModels'>;
  skippedLines: number;
}

const tokens = (a: CostAggregate) => ({
  inputTokens: a.usage.input,
  outputTokens: a.usage.output,
  cacheWriteTokens: a.usage.cacheWrite5m + a.usage.cacheWrite1h,
  cacheReadTokens: a.usage.cacheRead,
  reasoningTokens: a.usage.reasoning,
});

/** Builds the JSON document from the ledger's aggregates. */
export function costsJson(ledger: UsageLedger, by: CostsArgs['by'], skippedLines: number): CostsJson {
  const rows = ledger.aggregate(by).map((a): CostsJsonRow => ({
    key: a.key,
    provider: a.providers.join(','),
    ...(by === 'session' ? { sessionId: a.key } : {}),
    ...((by === 'session' || by === 'project') && a.project !== undefined ? { project: a.project } : {}),
    models: a.models,
    ...tokens(a),
    costUSD: a.cost.usd,
    unpricedModels: a.cost.unpricedModels,
  }));
  const t = ledger.totals();
  return { rows, totals: { ...tokens(t), costUSD: t.cost.usd }, skippedLines };
}

const int = (n: number): string => n.toLocaleString('en-US');
const usd = (n: number | null): string => (n === null ? '?' : `$${n.toFixed(2)}`);

/** Renders the readable table: aligned columns, a totals row, `?` for unknown costs and a footnote naming the models. */
export function costsTable(doc: CostsJson, by: CostsArgs['by']): string {
  const head = [by === 'day' ? 'Day' : by === 'model' ? 'Model' : by === 'project' ? 'Project' : 'Session', 'Provider', 'Models', 'Input', 'Output', 'Cache write', 'Cache read', 'Reasoning', 'Cost (USD)'];
  const right = [false, false, false, true, true, true, true, true, true];
  const body = doc.rows.map((r) => [
    r.key,
    r.provider,
    by === 'model' ? '' : r.models.join(', '),
    int(r.inputTokens),
    int(r.outputTokens),
    int(r.cacheWriteTokens),
    int(r.cacheReadTokens),
    int(r.reasoningTokens),
    usd(r.costUSD),
  ]);
  const t = doc.totals;
  const total = ['Total', '', '', int(t.inputTokens), int(t.outputTokens), int(t.cacheWriteTokens), int(t.cacheReadTokens), int(t.reasoningTokens), usd(t.costUSD)];
  const all = [head, ...body, total];
  const width = head.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const fmt = (row: string[]): string =>
    row.map((cell, c) => (right[c] ? cell.padStart(width[c] ?? 0) : cell.padEnd(width[c] ?? 0))).join('  ').trimEnd();
  const rule = width.map((w) => '-'.repeat(w)).join('  ');
  const lines = [fmt(head), rule, ...body.map(fmt), rule, fmt(total)];
  if (doc.rows.length === 0) lines.splice(2, 0, '(no usage found)');
  const unpriced = [...new Set(doc.rows.flatMap((r) => r.unpricedModels))].sort();
  if (unpriced.length > 0) lines.push('', `? cost unknown: no price for ${unpriced.join(', ')} (add them with --prices FILE)`);
  if (doc.skippedLines > 0) lines.push(`${doc.skippedLines} unreadable line(s) skipped.`);
  return `${lines.join('\n')}\n`;
}

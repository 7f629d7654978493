import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Cost } from '../spec/cost.js';

/** What a budget is counted over. */
export type BudgetScope = 'agent' | 'project' | 'day' | 'total';
/** What happens when a budget is exceeded. */
export type BudgetAction = 'warn' | 'pause' | 'kill';

/** One budget rule. At least one of `maxUsd` and `maxTokens` is required. */
export interface BudgetRule {
  /**
   * `agent`: each agent's own session (subagent transcripts included); `project`: all agents of one working
   * directory; `day`: everything the fleet saw today (the ledger's time zone); `total`: everything the fleet saw.
   */
  scope: BudgetScope;
  /** Limit in USD. */
  maxUsd?: number;
  /** Limit in billed tokens (input + output + cache writes + cache reads). */
  maxTokens?: number;
  /** Action when exceeded (default `warn`). */
  action?: BudgetAction;
  /** Fraction of the limit that raises `budget-warning` first (default 0.8; 1 turns the early warning off). */
  warnAt?: number;
  /** Only this agent (id or name) or project (cwd or basename); absent = every agent / project separately. */
  only?: string;
}

const RuleSchema = z
  .object({
    scope: z.enum(['agent', 'project', 'day', 'total']),
    maxUsd: z.number().positive().finite().optional(),
    maxTokens: z.number().int().positive().optional(),
    action: z.enum(['warn', 'pause', 'kill']).optional(),
    warnAt: z.number().gt(0).lte(1).optional(),
    only: z.string().min(1).optional(),
  })
  .strict();

/** Validates budget rules; throws `InvalidArgumentError` naming the rule and field. */
export function parseBudgets(input: unknown): BudgetRule[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    throw new InvalidArgumentError('budgets', 'must be an array of rules', "pass e.g. [{ scope: 'agent', maxUsd: 5, action: 'kill' }]");
  }
  return input.map((raw, i) => {
    const r = RuleSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      const field = `budgets[${i}]${issue?.path.length ? `.${issue.path.join('.')}` : ''}`;
      throw new InvalidArgumentError(field, issue?.message ?? 'invalid rule', 'scope is agent|project|day|total, maxUsd > 0, maxTokens a positive integer, action warn|pause|kill, warnAt in (0, 1]');
    }
    if (r.data.maxUsd === undefined && r.data.maxTokens === undefined) {
      throw new InvalidArgumentError(`budgets[${i}]`, 'has neither maxUsd nor maxTokens', 'give a limit in USD (maxUsd) and/or tokens (maxTokens)');
    }
    if (r.data.only !== undefined && (r.data.scope === 'day' || r.data.scope === 'total')) {
      throw new InvalidArgumentError(`budgets[${i}].only`, `does not apply to scope "${r.data.scope}"`, 'use only with scope agent or project');
    }
    return r.data as BudgetRule;
  });
}

/** What one budget subject has spent. */
export interface Spend {
  /** Cost (usd null when some usage could not be priced). */
  cost: Cost;
  /** Billed tokens. */
  tokens: number;
}

/** The verdict of one rule on one subject. */
export interface BudgetVerdict {
  /** `exceeded`, `warning` (past `warnAt`), `unknown-cost` (USD limit with an unpriced part), or `ok`. */
  level: 'exceeded' | 'warning' | 'unknown-cost' | 'ok';
  /** Human reason, e.g. `agent claude-1 spent $5.12 > per-agent budget $5.00`. */
  reason: string;
  /** USD spent (priced part when unknown). */
  spentUsd: number | null;
  /** Tokens spent. */
  spentTokens: number;
}

/** Formats USD for reasons: two decimals, four below a cent. */
export function formatUsd(usd: number): string {
  return `$${usd !== 0 && Math.abs(usd) < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

const SCOPE_TEXT: Record<BudgetScope, string> = { agent: 'per-agent', project: 'per-project', day: 'daily', total: 'total' };

/**
 * Checks one rule against one subject's spend. An unknown cost is never taken as 0: if the priced part alone
 * exceeds the USD limit it is `exceeded` ("at least $…"), otherwise `unknown-cost` with the reason.
 */
export function checkBudget(rule: BudgetRule, subject: string, spend: Spend): BudgetVerdict {
  const warnAt = rule.warnAt ?? 0.8;
  const what = `${SCOPE_TEXT[rule.scope]} budget`;
  const usd = spend.cost.usd;
  const spentUsd = usd ?? null;
  const base = { spentUsd, spentTokens: spend.tokens };
  const tokenText = (n: number) => `${n.toLocaleString('en-US')} tokens`;
  if (rule.maxTokens !== undefined && spend.tokens > rule.maxTokens) {
    return { ...base, level: 'exceeded', reason: `${subject} used ${tokenText(spend.tokens)} > ${what} ${tokenText(rule.maxTokens)}` };
  }
  if (rule.maxUsd !== undefined) {
    if (usd === null && spend.cost.pricedUsd > rule.maxUsd) {
      return {
        ...base,
        spentUsd: spend.cost.pricedUsd,
        level: 'exceeded',
        reason: `${subject} spent at least ${formatUsd(spend.cost.pricedUsd)} > ${what} ${formatUsd(rule.maxUsd)} (the rest is unpriced: ${spend.cost.reason ?? 'unknown cost'})`,
      };
    }
    if (usd !== null && usd > rule.maxUsd) {
      return { ...base, level: 'exceeded', reason: `${subject} spent ${formatUsd(usd)} > ${what} ${formatUsd(rule.maxUsd)}` };
    }
    if (usd === null) {
      return {
        ...base,
        level: 'unknown-cost',
        reason: `${subject} has an unknown cost (${spend.cost.reason ?? 'unpriced usage'}); priced part ${formatUsd(spend.cost.pricedUsd)} cannot be checked against ${what} ${formatUsd(rule.maxUsd)}`,
      };
    }
    if (warnAt < 1 && usd >= rule.maxUsd * warnAt) {
      return { ...base, level: 'warning', reason: `${subject} spent ${formatUsd(usd)}, ${Math.round((usd / rule.maxUsd) * 100)}% of ${what} ${formatUsd(rule.maxUsd)}` };
    }
  }
  if (rule.maxTokens !== undefined && warnAt < 1 && spend.tokens >= rule.maxTokens * warnAt) {
    return { ...base, level: 'warning', reason: `${subject} used ${tokenText(spend.tokens)}, ${Math.round((spend.tokens / rule.maxTokens) * 100)}% of ${what} ${tokenText(rule.maxTokens)}` };
  }
  return { ...base, level: 'ok', reason: `${subject} is within the ${what}` };
}

import { basename } from 'node:path';
import type { UsageLedger } from '../cost/usage-ledger.js';
import { totalTokens } from '../spec/usage.js';
import { appendJsonLine, type BudgetActionRecord } from './budget-actions.js';
import { checkBudget, type BudgetRule, type Spend } from './budgets.js';
import type { FleetAgent } from './fleet-types.js';

/** What the enforcer can do to an agent; each resolves to a short outcome for the record. */
export interface BudgetEffects {
  pause(agent: FleetAgent, reason: string): Promise<string>;
  kill(agent: FleetAgent, reason: string): Promise<string>;
}

function agentMatches(agent: FleetAgent, only: string | undefined): boolean {
  return only === undefined || agent.id === only || agent.name === only;
}

function projectMatches(cwd: string, only: string | undefined): boolean {
  return only === undefined || cwd === only || basename(cwd) === only;
}

/**
 * Checks budget rules after each poll and carries out their actions once per rule, subject and level:
 * `exceeded` runs the rule's action on the subject's live agents; `warning` (early warning) and `unknown-cost`
 * only report. Every verdict acted on is appended to the action log (fsynced) and emitted.
 */
export class BudgetEnforcer {
  private readonly fired = new Set<string>();

  constructor(
    private readonly rules: readonly BudgetRule[],
    private readonly ledger: UsageLedger,
    private readonly dayKey: (iso: string) => string,
    private readonly effects: BudgetEffects,
    private readonly logPath: string,
    private readonly emit: (record: BudgetActionRecord) => void,
  ) {}

  /** Evaluates every rule against the live agents; resolves once all actions have finished. */
  async evaluate(agents: readonly FleetAgent[], now: Date): Promise<void> {
    for (const [ruleIndex, rule] of this.rules.entries()) {
      for (const { subject, label, spend, targets } of this.subjects(rule, agents, now)) {
        const verdict = checkBudget(rule, label, spend);
        if (verdict.level === 'ok') continue;
        const id = `${ruleIndex}\0${subject}\0${verdict.level}`;
        if (this.fired.has(id)) continue;
        this.fired.add(id);
        const exceeded = verdict.level === 'exceeded';
        const action = exceeded ? (rule.action ?? 'warn') : 'warn';
        const outcomes: Record<string, string> = {};
        if (action !== 'warn') {
          await Promise.all(
            targets.map(async (a) => {
              try {
                outcomes[a.id] = action === 'kill' ? await this.effects.kill(a, verdict.reason) : await this.effects.pause(a, verdict.reason);
              } catch (error) {
                outcomes[a.id] = `failed: ${error instanceof Error ? error.message : String(error)}`;
              }
            }),
          );
        }
        const record: BudgetActionRecord = {
          at: now.toISOString(),
          kind: exceeded ? 'exceeded' : 'warning',
          ruleIndex,
          scope: rule.scope,
          subject,
          action,
          agentIds: targets.map((a) => a.id),
          reason: verdict.reason,
          spentUsd: verdict.spentUsd,
          spentTokens: verdict.spentTokens,
          outcomes,
        };
        try {
          appendJsonLine(this.logPath, record);
        } catch (error) {
          record.outcomes['log'] = `could not append to ${this.logPath}: ${error instanceof Error ? error.message : String(error)}`;
        }
        this.emit(record);
      }
    }
  }

  private spendOf(agg: { cost: Spend['cost']; usage: Parameters<typeof totalTokens>[0] } | undefined): Spend | undefined {
    return agg ? { cost: agg.cost, tokens: totalTokens(agg.usage) } : undefined;
  }

  private *subjects(
    rule: BudgetRule,
    agents: readonly FleetAgent[],
    now: Date,
  ): Generator<{ subject: string; label: string; spend: Spend; targets: FleetAgent[] }> {
    if (rule.scope === 'agent') {
      for (const a of agents) {
        if (!a.sessionId || !agentMatches(a, rule.only)) continue;
        const spend = this.spendOf(this.ledger.get('session', a.sessionId));
        if (spend) yield { subject: a.id, label: `agent ${a.name}`, spend, targets: [a] };
      }
      return;
    }
    if (rule.scope === 'project') {
      const byCwd = new Map<string, FleetAgent[]>();
      for (const a of agents) {
        if (!a.cwd || !projectMatches(a.cwd, rule.only)) continue;
        byCwd.set(a.cwd, [...(byCwd.get(a.cwd) ?? []), a]);
      }
      for (const [cwd, list] of byCwd) {
        const spend = this.spendOf(this.ledger.get('project', cwd));
        if (spend) yield { subject: cwd, label: `project ${basename(cwd)}`, spend, targets: list };
      }
      return;
    }
    if (rule.scope === 'day') {
      const day = this.dayKey(now.toISOString());
      const spend = this.spendOf(this.ledger.get('day', day));
      if (spend) yield { subject: day, label: `the fleet on ${day}`, spend, targets: [...agents] };
      return;
    }
    const total = this.ledger.totals();
    if (total.records > 0) yield { subject: 'total', label: 'the fleet', spend: { cost: total.cost, tokens: totalTokens(total.usage) }, targets: [...agents] };
  }
}

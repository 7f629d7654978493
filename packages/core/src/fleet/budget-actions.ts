import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BudgetAction, BudgetScope } from './budgets.js';

/** One budget action as recorded in `<stateDir>/budget-actions.jsonl` and sent with the budget events. */
export interface BudgetActionRecord {
  /** ISO-8601 time. */
  at: string;
  /** `warning` (early warning or unknown cost) or `exceeded`. */
  kind: 'warning' | 'exceeded';
  /** Index of the rule in `budgets`. */
  ruleIndex: number;
  /** Rule scope. */
  scope: BudgetScope;
  /** Subject: agent id, project cwd, day (`YYYY-MM-DD`) or `total`. */
  subject: string;
  /** Action taken (`warn` for warnings). */
  action: BudgetAction;
  /** Agents acted on. */
  agentIds: string[];
  /** Why, e.g. `agent claude-1 spent $5.12 > per-agent budget $5.00`. */
  reason: string;
  /** USD spent (null when unknown). */
  spentUsd: number | null;
  /** Tokens spent. */
  spentTokens: number;
  /** Per agent: what was done, e.g. `escape sent`, `exited after SIGTERM`, or the failure. */
  outcomes: Record<string, string>;
}

/** Appends one JSON line and fsyncs (the log survives a crash right after the action). */
export function appendJsonLine(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(value)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** True while the process exists and is not a zombie (a zombie has exited; only its parent has not reaped it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

function signal(target: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Stops an agent: SIGTERM to its process group (just the pid when the group is unknown or is our own), then
 * SIGKILL after `graceMs` if the process is still there. Resolves to what happened.
 */
export async function killAgentProcess(
  pid: number,
  pgid: number | undefined,
  options: { graceMs?: number; ownPgid?: number } = {},
): Promise<'exited after SIGTERM' | 'killed with SIGKILL' | 'already gone'> {
  if (!processAlive(pid)) return 'already gone';
  const group = pgid !== undefined && pgid > 1 && pgid !== options.ownPgid ? -pgid : undefined;
  if (group !== undefined) signal(group, 'SIGTERM');
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + (options.graceMs ?? 3000);
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return 'exited after SIGTERM';
    await sleep(25);
  }
  if (group !== undefined) signal(group, 'SIGKILL');
  signal(pid, 'SIGKILL');
  return 'killed with SIGKILL';
}

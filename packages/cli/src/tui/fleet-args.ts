import { parseBudgets, type BudgetRule, type FleetOptions, type ProviderV1 } from '@agentmux/core';
import { claude } from '@agentmux/provider-claude';
import { codex } from '@agentmux/provider-codex';
import { gemini } from '@agentmux/provider-gemini';
import { UsageError } from '../command.js';
import { SORT_KEYS, type SortKey } from './agent-table.js';

/** The providers the CLI knows. */
export const CLI_PROVIDERS: readonly ProviderV1[] = [claude, codex, gemini];

/** Options shared by `ps` and `top`. */
export interface FleetArgs {
  json: boolean;
  sockets: string[];
  defaultTmux: boolean;
  tmuxOnly: boolean;
  stateDir?: string;
  providers: string[];
  budgets: BudgetRule[];
  pollMs: number;
  sort: SortKey;
  filter: string;
}

/** Help text of the shared options. */
export const FLEET_ARGS_USAGE = `  -S, --socket <path>    also look for agents in the tmux server on this socket (repeatable)
  --no-default-tmux      do not look at the default tmux server
  --tmux-only            only agents running in a pane of those tmux servers
  --provider <id>        only this provider: claude, codex, gemini (repeatable)
  --state-dir <dir>      agentmux state (hook events, budget log); default $AGENTMUX_STATE_DIR or ~/.agentmux
  --sort cost|age|name   row order (default cost)
  --filter <text>        only agents whose name, provider, model, status, project or pid contains <text>`;

/**
 * Parses a budget flag: \`<scope>=<limit>[:<action>]\`, scope agent|project|day|total, limit USD (\`5\`, \`$5\`,
 * \`0.5\`) or tokens with a suffix (\`200k\`, \`2M\`, \`5000t\`), action warn|pause|kill (default warn).
 */
export function parseBudgetFlag(text: string): BudgetRule {
  const m = /^(agent|project|day|total)=(\$?[0-9]*\.?[0-9]+)([tkKmM]?)(?::(warn|pause|kill))?$/.exec(text);
  if (!m) throw new UsageError(`--budget "${text}": expected <scope>=<limit>[:<action>], e.g. agent=5:kill or total=2M:warn`);
  const [, scope, amount = '', suffix = '', action] = m;
  const value = Number(amount.replace('$', ''));
  const rule: Record<string, unknown> = { scope, ...(action ? { action } : {}) };
  if (suffix === '') rule['maxUsd'] = value;
  else rule['maxTokens'] = Math.round(value * ({ t: 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[suffix] ?? 1));
  return parseBudgets([rule])[0] as BudgetRule;
}

/** Parses the shared options; throws `UsageError` on anything unknown. */
export function parseFleetArgs(argv: readonly string[], allowed: { json?: boolean; budgets?: boolean; poll?: boolean }): FleetArgs {
  const out: FleetArgs = { json: false, sockets: [], defaultTmux: true, tmuxOnly: false, providers: [], budgets: [], pollMs: 2000, sort: 'cost', filter: '' };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json' && allowed.json) out.json = true;
    else if (a === '--socket' || a === '-S') out.sockets.push(value(i++, a));
    else if (a === '--no-default-tmux') out.defaultTmux = false;
    else if (a === '--tmux-only') out.tmuxOnly = true;
    else if (a === '--state-dir') out.stateDir = value(i++, a);
    else if (a === '--provider') {
      const id = value(i++, a);
      if (!CLI_PROVIDERS.some((p) => p.id === id)) throw new UsageError(`--provider "${id}": use one of ${CLI_PROVIDERS.map((p) => p.id).join(', ')}`);
      out.providers.push(id);
    } else if (a === '--budget' && allowed.budgets) out.budgets.push(parseBudgetFlag(value(i++, a)));
    else if (a === '--poll' && allowed.poll) {
      const ms = Number(value(i++, a));
      if (!Number.isFinite(ms) || ms < 200) throw new UsageError('--poll: milliseconds, at least 200');
      out.pollMs = ms;
    } else if (a === '--sort') {
      const s = value(i++, a);
      if (!SORT_KEYS.includes(s as SortKey)) throw new UsageError(`--sort "${s}": use one of ${SORT_KEYS.join(', ')}`);
      out.sort = s as SortKey;
    } else if (a === '--filter') out.filter = value(i++, a);
    else throw new UsageError(`unknown option "${a}"`);
  }
  return out;
}

/** Fleet options from parsed args (the providers filtered, tmux servers, state dir, env). */
export function fleetOptions(args: FleetArgs, env: Readonly<Record<string, string | undefined>>): FleetOptions {
  const providers = args.providers.length ? CLI_PROVIDERS.filter((p) => args.providers.includes(p.id)) : CLI_PROVIDERS;
  return {
    providers,
    env,
    tmuxSockets: args.sockets,
    tmuxDefaultServer: args.defaultTmux,
    onlyTmuxPanes: args.tmuxOnly,
    pollMs: args.pollMs,
    budgets: args.budgets,
    ...(args.stateDir ? { stateDir: args.stateDir } : {}),
  };
}

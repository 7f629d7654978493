import { createFleet, type FleetAgent, type FleetOptions } from '@agentmux/core';
import type { CliCommand, CommandIo } from '../command.js';
import { PS_COLUMNS, orderRows, renderTable, totals } from '../tui/agent-table.js';
import { FLEET_ARGS_USAGE, fleetOptions, parseFleetArgs } from '../tui/fleet-args.js';
import { createPaint, formatCost, formatTokens } from '../tui/format.js';

/** One poll of a fleet built from `options`; resolves to the agents seen. */
export async function pollFleetOnce(options: FleetOptions): Promise<FleetAgent[]> {
  const fleet = createFleet({ ...options, autoStart: false });
  try {
    await fleet.poll();
    return fleet.snapshot();
  } finally {
    await fleet.dispose();
  }
}

/** Renders `ps` output: the table (subagents under their parent) and a totals line. */
export function renderPs(agents: readonly FleetAgent[], options: { colour: boolean; sort?: 'cost' | 'age' | 'name'; filter?: string; now?: number }): string {
  const now = options.now ?? Date.now();
  const rows = orderRows(agents, options.sort ?? 'cost', options.filter ?? '', now);
  if (rows.length === 0) return 'No agents running (looked for claude, codex and gemini processes).\n';
  const paint = createPaint(options.colour);
  const t = totals(rows.map((r) => r.agent));
  const lines = renderTable(rows, PS_COLUMNS, paint, now);
  const note = t.withoutSession ? ` (${t.withoutSession} without a session yet)` : '';
  lines.push(`${t.agents} agents${note} · in ${formatTokens(t.tokensIn)} · out ${formatTokens(t.tokensOut)} · cost ${formatCost(t.cost)}`);
  return `${lines.join('\n')}\n`;
}

export const psCommand: CliCommand = {
  name: 'ps',
  summary: 'List running agents: provider, model, status, project, age, tokens, cost',
  usage: `Usage: agentmux ps [options]

Lists every Claude Code, Codex and Gemini CLI process on this machine (and in tmux), with its session,
fused status, tokens and cost. Subagent processes are listed under their parent.

Options:
  --json                 print the agents as JSON (FleetAgent objects)
${FLEET_ARGS_USAGE}`,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseFleetArgs(argv, { json: true });
    const agents = await pollFleetOnce(fleetOptions(args, io.env));
    if (args.json) {
      io.stdout(`${JSON.stringify(orderRows(agents, args.sort, args.filter).map((r) => r.agent), null, 2)}\n`);
      return 0;
    }
    io.stdout(renderPs(agents, { colour: io.stdoutIsTty && !io.env['NO_COLOR'], sort: args.sort, filter: args.filter }));
    return 0;
  },
};

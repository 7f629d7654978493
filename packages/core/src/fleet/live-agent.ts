import { basename } from 'node:path';
import type { UsageLedger } from '../cost/usage-ledger.js';
import type { DiscoveredProcess } from '../discovery/discover-processes.js';
import type { TmuxPane } from '../discovery/tmux-panes.js';
import type { StatusEvidence } from '../spec/agent-status.js';
import { zeroCost } from '../spec/cost.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { emptyUsage, totalTokens } from '../spec/usage.js';
import type { FusedStatus } from '../status/fuse-status.js';
import type { FleetAgent } from './fleet-types.js';
import type { SessionTracker } from './session-tracker.js';

/** The fleet's working state of one agent process. */
export interface LiveAgent {
  id: string;
  provider: ProviderV1;
  found: DiscoveredProcess;
  firstSeen: number;
  pane: TmuxPane | undefined;
  tracker: SessionTracker | undefined;
  how: 'exact' | 'inferred' | undefined;
  paneEvidence: StatusEvidence | undefined;
  fused: FusedStatus;
  paused: boolean;
  row: FleetAgent | undefined;
}

/** What a viewer shows of a row: a change here is a change worth redrawing. */
export function rowSignature(r: FleetAgent): string {
  return [r.status.state, r.cost.usd, r.cost.pricedUsd, totalTokens(r.usage), r.turns, r.model, r.sessionId, r.pane?.target, r.paused, r.name, r.subagentIds.length].join('|');
}

/** The plain-data row of an agent, from its process, session tracker, ledger aggregate and fused status. */
export function buildAgentRow(a: LiveAgent, alive: boolean, live: ReadonlyMap<string, LiveAgent>, ledger: UsageLedger): FleetAgent {
  const p = a.found.match.process;
  const t = a.tracker;
  const agg = t ? ledger.get('session', t.sessionId) : undefined;
  const cwd = t?.facts.cwd ?? p.cwd;
  const lastTurn = t?.lastTurn();
  const model = t?.facts.models[t.facts.models.length - 1] ?? lastTurn?.model ?? a.found.match.model;
  const subagentIds = a.found.subagentPids.map((pid) => `${[...live.values()].find((x) => x.found.match.process.pid === pid)?.provider.id ?? a.provider.id}-${pid}`);
  const parent = a.found.parentAgentPid;
  const parentAgentId = parent === undefined ? undefined : [...live.values()].find((x) => x.found.match.process.pid === parent)?.id;
  const row: FleetAgent = {
    id: a.id,
    name: a.pane ? a.pane.target.replace(/:0\.0$/, '') : a.id,
    providerId: a.provider.id,
    pid: p.pid,
    ppid: p.ppid,
    ...(a.found.pgid !== undefined ? { pgid: a.found.pgid } : {}),
    argv: p.argv,
    ...(cwd ? { cwd, project: basename(cwd) } : {}),
    ...(p.startedAt ? { startedAt: p.startedAt } : {}),
    ...(model ? { model } : {}),
    ...(t ? { sessionId: t.sessionId } : {}),
    ...(a.how ? { sessionMatch: a.how } : {}),
    ...(t?.main ? { transcriptPath: t.main.path } : {}),
    ...(a.pane ? { pane: a.pane } : {}),
    ...(parentAgentId ? { parentAgentId } : {}),
    subagentIds,
    status: a.fused.status,
    statusRule: a.fused.rule,
    usage: agg ? { ...agg.usage } : emptyUsage(),
    cost: agg ? agg.cost : t ? zeroCost() : { usd: null, pricedUsd: 0, reason: 'no session matched yet', unpricedModels: [] },
    turns: t?.turns.size ?? 0,
    ...(lastTurn ? { lastTurn } : {}),
    ...(t?.facts.lastActivityAt ? { lastActivityAt: t.facts.lastActivityAt } : {}),
    paused: a.paused,
    alive,
  };
  return row;
}

import type { AgentState, Cost, FleetAgent } from '@agentmux/core';

const NOW = Date.parse('2026-11-21T12:00:00.000Z');
export const FIXED_NOW = NOW;

/** A FleetAgent for table tests. */
export function agent(o: { name: string; pid: number; provider?: string; state?: AgentState; usd?: number | null; pricedUsd?: number; ageS?: number; input?: number; output?: number; parent?: string; project?: string; model?: string; session?: boolean; paused?: boolean }): FleetAgent {
  const provider = o.provider ?? 'claude';
  const cost: Cost = o.usd === null ? { usd: null, pricedUsd: o.pricedUsd ?? 0, reason: 'unknown model "x"', unpricedModels: ['x'] } : { usd: o.usd ?? 0, pricedUsd: o.usd ?? 0, unpricedModels: [] };
  return {
    id: `${provider}-${o.pid}`,
    name: o.name,
    providerId: provider,
    pid: o.pid,
    ppid: 1,
    argv: [provider],
    cwd: `/work/${o.project ?? 'proj'}`,
    project: o.project ?? 'proj',
    startedAt: new Date(NOW - (o.ageS ?? 60) * 1000).toISOString(),
    model: o.model ?? 'claude-sonnet-4-5-20250929',
    ...(o.session === false ? {} : { sessionId: `s-${o.pid}` }),
    ...(o.parent ? { parentAgentId: o.parent } : {}),
    subagentIds: [],
    status: { state: o.state ?? 'idle', evidence: [] },
    statusRule: 'freshest-weak',
    usage: { input: o.input ?? 1000, output: o.output ?? 500, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 },
    cost,
    turns: 1,
    paused: o.paused ?? false,
    alive: true,
  };
}

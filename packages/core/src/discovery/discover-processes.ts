import type { ProcessMatch, ProviderV1 } from '../spec/provider-v1.js';
import type { ProcessSnapshot, SnapshotProcess } from './process-snapshot.js';

/** An agent process found in a snapshot. */
export interface DiscoveredProcess {
  /** The provider that recognised it. */
  providerId: string;
  /** What the provider learned; `process.childPids` is filled from the snapshot. */
  match: ProcessMatch;
  /** Process group id, when known (used to signal the whole group). */
  pgid?: number;
  /** Pid of the nearest ancestor that is itself an agent: this process is then a subagent of it. */
  parentAgentPid?: number;
  /** Pids of agent processes whose nearest agent ancestor is this one. */
  subagentPids: number[];
}

/** A provider whose `matchProcess` threw; discovery went on without it. */
export interface ProviderFailure {
  /** Provider id. */
  providerId: string;
  /** What it was doing, e.g. `matchProcess`. */
  operation: string;
  /** The error thrown. */
  error: unknown;
}

/**
 * Asks each provider to recognise each process of the snapshot (first provider wins), fills in child pids, cwd
 * and start time from the snapshot, and groups agents under their nearest agent ancestor. A provider that throws
 * is reported once and skipped for the rest of this snapshot.
 */
export function discoverProcesses(
  snapshot: ProcessSnapshot,
  providers: readonly ProviderV1[],
  memo?: WeakMap<object, { providerId: string; match: ProcessMatch } | null>,
): { agents: DiscoveredProcess[]; failures: ProviderFailure[] } {
  const failures: ProviderFailure[] = [];
  const failed = new Set<string>();
  const agents = new Map<number, DiscoveredProcess>();
  const add = (proc: SnapshotProcess, providerId: string, match: ProcessMatch): void => {
    const p = match.process;
    const filled: ProcessMatch = {
      ...match,
      process: {
        ...p,
        providerId: p.providerId || providerId,
        childPids: [...snapshot.childrenOf(proc.pid)],
        ...(p.cwd ?? proc.cwd ? { cwd: p.cwd ?? proc.cwd } : {}),
        ...(p.startedAt ?? proc.startedAt ? { startedAt: p.startedAt ?? proc.startedAt } : {}),
        ppid: proc.ppid,
      },
    };
    agents.set(proc.pid, { providerId, match: filled, ...(proc.pgid !== undefined ? { pgid: proc.pgid } : {}), subagentPids: [] });
  };
  for (const proc of snapshot.processes.values()) {
    if (proc.argv.length === 0) continue; // kernel threads, zombies
    // A row kept by a ProcessTable is the same object while its argv is unchanged: its match can be reused.
    const memoized = memo?.get(proc);
    if (memoized === null) continue;
    if (memoized) {
      add(proc, memoized.providerId, memoized.match);
      continue;
    }
    let matched = false;
    for (const provider of providers) {
      if (failed.has(provider.id)) continue;
      let match: ProcessMatch | null;
      try {
        match = provider.matchProcess(proc);
      } catch (error) {
        failed.add(provider.id);
        failures.push({ providerId: provider.id, operation: 'matchProcess', error });
        continue;
      }
      if (!match) continue;
      memo?.set(proc, { providerId: provider.id, match });
      add(proc, provider.id, match);
      matched = true;
      break;
    }
    if (!matched && failed.size === 0) memo?.set(proc, null);
  }
  for (const [pid, agent] of agents) {
    const parentAgent = agents.get(agent.match.process.ppid);
    if (parentAgent && isRelaunchOf(agent, parentAgent)) agents.delete(pid);
  }
  for (const [pid, agent] of agents) {
    const parent = snapshot.ancestorsOf(pid).find((a) => agents.has(a));
    if (parent === undefined) continue;
    agent.parentAgentPid = parent;
    agents.get(parent)?.subagentPids.push(pid);
  }
  return { agents: [...agents.values()], failures };
}

/** A wrapper's child started this soon after it is a relaunch, not a subagent started later by a tool. */
export const RELAUNCH_WINDOW_MS = 3_000;

/**
 * True when `child` is the same agent as its direct parent `parent`, relaunched: an npm `node` wrapper starting the
 * native binary (Codex), or a CLI re-executing itself with other runtime flags (Gemini's `--max-old-space-size`
 * relaunch). Same provider, same cwd, the same session/model/mode read from argv, started within
 * {@link RELAUNCH_WINDOW_MS}. Such a child is folded into the parent (it stays in the parent's `childPids`), so one
 * agent is shown once; a real subagent (e.g. `claude -p` run by a tool minutes later) differs in argv or start time.
 */
export function isRelaunchOf(child: DiscoveredProcess, parent: DiscoveredProcess): boolean {
  if (child.providerId !== parent.providerId) return false;
  const c = child.match;
  const p = parent.match;
  if (c.process.cwd !== p.process.cwd) return false;
  if (c.sessionId !== p.sessionId || c.model !== p.model) return false;
  if (Boolean(c.nonInteractive) !== Boolean(p.nonInteractive) || Boolean(c.continuesLatest) !== Boolean(p.continuesLatest)) return false;
  const cs = c.process.startedAt ? Date.parse(c.process.startedAt) : Number.NaN;
  const ps = p.process.startedAt ? Date.parse(p.process.startedAt) : Number.NaN;
  if (!Number.isFinite(cs) || !Number.isFinite(ps)) return false;
  return cs >= ps && cs - ps <= RELAUNCH_WINDOW_MS;
}

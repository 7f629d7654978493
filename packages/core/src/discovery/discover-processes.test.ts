import { describe, expect, it } from 'vitest';
import type { ProcessMatch, ProviderV1 } from '../spec/provider-v1.js';
import { discoverProcesses } from './discover-processes.js';
import { snapshotFromProcesses, type SnapshotProcess } from './process-snapshot.js';

/** A provider that recognises any process whose argv mentions `gemini`, reading `-m` and `-p` like the real one. */
const fakeGemini = {
  id: 'gemini',
  matchProcess(proc: SnapshotProcess): ProcessMatch | null {
    if (!proc.argv.some((a) => /(^|\/)gemini(\.js)?$/.test(a))) return null;
    const m = proc.argv.indexOf('-m');
    return {
      process: { pid: proc.pid, ppid: proc.ppid, providerId: 'gemini', argv: proc.argv, childPids: [], ...(proc.cwd ? { cwd: proc.cwd } : {}), ...(proc.startedAt ? { startedAt: proc.startedAt } : {}) },
      ...(m >= 0 && proc.argv[m + 1] ? { model: proc.argv[m + 1] } : {}),
      ...(proc.argv.includes('-p') ? { nonInteractive: true } : {}),
    };
  },
} as unknown as ProviderV1;

const row = (pid: number, ppid: number, argv: string[], startedAt: string, cwd = '/work/app'): [number, SnapshotProcess] => [
  pid,
  { pid, ppid, name: 'node', argv, cwd, startedAt },
];

describe('discoverProcesses', () => {
  it('folds a CLI that relaunches itself into one agent, but keeps a later subagent run by a tool', () => {
    const snapshot = snapshotFromProcesses(
      new Map([
        row(100, 1, ['bash'], '2026-11-21T10:00:00.000Z'),
        // `gemini -m gemini-2.5-pro` re-executes itself with a bigger heap a moment after it starts.
        row(200, 100, ['node', '/usr/lib/node_modules/@google/gemini-cli/bin/gemini', '-m', 'gemini-2.5-pro'], '2026-11-21T10:00:01.000Z'),
        row(201, 200, ['node', '--max-old-space-size=8192', '/usr/lib/node_modules/@google/gemini-cli/dist/gemini.js', '-m', 'gemini-2.5-pro'], '2026-11-21T10:00:01.300Z'),
        // Minutes later a tool of that agent runs a one-shot gemini: a real subagent.
        row(300, 201, ['node', '/usr/lib/node_modules/@google/gemini-cli/bin/gemini', '-m', 'gemini-2.5-pro', '-p', 'summarise'], '2026-11-21T10:05:00.000Z'),
        // A second interactive agent started by hand in the same place, long after: its own agent.
        row(400, 1, ['node', '/usr/lib/node_modules/@google/gemini-cli/bin/gemini', '-m', 'gemini-2.5-pro'], '2026-11-21T10:00:01.500Z', '/work/other'),
      ]),
      'proc',
    );
    const { agents, failures } = discoverProcesses(snapshot, [fakeGemini]);
    expect(failures).toEqual([]);
    const byPid = new Map(agents.map((a) => [a.match.process.pid, a]));
    expect([...byPid.keys()].sort()).toEqual([200, 300, 400]);
    expect(byPid.get(200)?.match.process.childPids).toEqual([201]);
    expect(byPid.get(300)?.parentAgentPid).toBe(200); // grouped under the agent its relaunched process runs
    expect(byPid.get(200)?.subagentPids).toEqual([300]);
    expect(byPid.get(400)?.parentAgentPid).toBeUndefined();
  });

  it('keeps a same-argv child that started outside the relaunch window as a subagent', () => {
    const snapshot = snapshotFromProcesses(
      new Map([
        row(10, 1, ['node', '/x/gemini', '-m', 'gemini-2.5-flash'], '2026-11-21T10:00:00.000Z'),
        row(11, 10, ['node', '/x/gemini', '-m', 'gemini-2.5-flash'], '2026-11-21T10:00:09.000Z'),
      ]),
      'proc',
    );
    const { agents } = discoverProcesses(snapshot, [fakeGemini]);
    expect(agents.map((a) => [a.match.process.pid, a.parentAgentPid])).toEqual([[10, undefined], [11, 10]]);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { fakeProvider } from './__fixtures__/fake-provider.js';
import type { BudgetActionRecord } from './budget-actions.js';
import { createFleet, type Fleet } from './fleet.js';
import type { FleetAgent, ProviderFailedEvent } from './fleet-types.js';

const root = mkdtempSync(join(tmpdir(), 'amx-fleet-'));
const children: ChildProcess[] = [];
const fleets: Fleet[] = [];
afterEach(async () => {
  for (const f of fleets.splice(0)) await f.dispose();
  for (const c of children.splice(0)) {
    try {
      process.kill(-(c.pid as number), 'SIGKILL');
    } catch {
      // gone
    }
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh world: a transcript dir, a marker, and a provider that recognises processes carrying the marker. */
function world() {
  n += 1;
  const dir = join(root, `w${n}`);
  const transcripts = join(dir, 'transcripts');
  mkdirSync(transcripts, { recursive: true });
  const marker = `fakeagent-${process.pid}-${n}`;
  return { dir, transcripts, marker, provider: fakeProvider('fake', marker, transcripts) };
}

/** Starts a fake agent process in its own process group; `childScript` makes it start a sub-agent. */
function startAgent(cwd: string, marker: string, args: string[] = [], childScript = ''): ChildProcess {
  mkdirSync(cwd, { recursive: true });
  const script = `${childScript}setInterval(() => {}, 1000);`;
  const c = spawn(process.execPath, ['-e', script, marker, ...args], { cwd, detached: true, stdio: 'ignore' });
  children.push(c);
  return c;
}

const line = (o: object) => `${JSON.stringify(o)}\n`;
const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

function fleetFor(providers: ProviderV1[], dir: string, extra: Partial<Parameters<typeof createFleet>[0]> = {}): Fleet {
  const f = createFleet({ providers, autoStart: false, tmuxDefaultServer: false, hooks: false, stateDir: join(dir, 'state'), pollMs: 100, rescanMs: 100, killGraceMs: 1000, ...extra });
  fleets.push(f);
  return f;
}

async function pollUntil(f: Fleet, ok: (agents: FleetAgent[]) => boolean, tries = 40): Promise<FleetAgent[]> {
  for (let i = 0; i < tries; i++) {
    await f.poll();
    const s = f.snapshot();
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  return f.snapshot();
}

describe('Fleet with a fake provider', () => {
  it('finds agents, matches sessions exactly and by cwd, groups subagent processes, and prices usage', async () => {
    const w = world();
    const cwdA = join(w.dir, 'proj-a');
    const cwdB = join(w.dir, 'proj-b');
    const sub = `require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ${JSON.stringify(w.marker)}, 'sub'], { stdio: 'ignore' });`;
    const a = startAgent(cwdA, w.marker, ['--session-id', 'sess-a'], sub);
    const b = startAgent(cwdB, w.marker);
    writeFileSync(join(w.transcripts, 'sess-a.jsonl'), line({ t: 'meta', cwd: cwdA, at: iso() }) + line({ t: 'usage', at: iso(), model: 'claude-sonnet-4-5', input: 100_000, output: 20_000, cwd: cwdA, key: 'm1' }) + line({ t: 'usage', at: iso(), model: 'claude-sonnet-4-5', input: 100_000, output: 20_000, cwd: cwdA, key: 'm1' }));
    writeFileSync(join(w.transcripts, 'sess-b.jsonl'), line({ t: 'meta', cwd: cwdB, at: iso(1000) }) + line({ t: 'signal', state: 'working', at: iso(1000) }));
    mkdirSync(join(w.transcripts, 'sess-a'));
    writeFileSync(join(w.transcripts, 'sess-a', 'agent-1.jsonl'), line({ t: 'usage', at: iso(), model: 'claude-haiku-4-5', input: 1_000_000, output: 0, cwd: cwdA }));
    const f = fleetFor([w.provider], w.dir);
    const added: string[] = [];
    f.on('agent-added', (x) => added.push(x.id));
    const agents = await pollUntil(f, (s) => s.length === 3 && s.filter((x) => x.sessionId).length === 2);
    const A = agents.find((x) => x.pid === a.pid);
    const B = agents.find((x) => x.pid === b.pid);
    const S = agents.find((x) => x.argv.includes('sub'));
    expect(added.sort()).toEqual(agents.map((x) => x.id).sort());
    expect(A).toMatchObject({ sessionId: 'sess-a', sessionMatch: 'exact', cwd: cwdA, project: 'proj-a', providerId: 'fake', alive: true });
    expect(B).toMatchObject({ sessionId: 'sess-b', sessionMatch: 'inferred', project: 'proj-b' });
    expect(S?.parentAgentId).toBe(A?.id);
    expect(A?.subagentIds).toEqual([S?.id]);
    // $0.30 + $0.30 for the deduplicated sonnet record, $1.00 for the subagent's haiku input
    expect(A?.cost.usd).toBeCloseTo(1.6, 10);
    expect(A?.usage.input).toBe(1_100_000);
    expect(B?.status.state).toBe('working');
    expect(f.explain(B?.id as string)).toMatch(/^working, decided by transcript/);
    expect(S?.cost.usd).toBeNull(); // no session: unknown, not zero
  });

  it('emits status-changed, turn-ended and cost-updated as the transcript grows, and agent-removed when the process ends', async () => {
    const w = world();
    const cwd = join(w.dir, 'p');
    const a = startAgent(cwd, w.marker, ['--session-id', 'sess-x']);
    const file = join(w.transcripts, 'sess-x.jsonl');
    writeFileSync(file, line({ t: 'meta', cwd, at: iso() }) + line({ t: 'turn', index: 0, at: iso() }) + line({ t: 'signal', state: 'working', at: iso() }));
    const f = fleetFor([w.provider], w.dir);
    await pollUntil(f, (s) => s[0]?.status.state === 'working');
    const events: string[] = [];
    f.on('status-changed', (x, prev) => events.push(`status ${prev}->${x.status.state}`));
    f.on('turn-ended', (_x, t) => events.push(`turn ${t.index}`));
    f.on('cost-updated', (x) => events.push(`cost ${x.cost.usd?.toFixed(2)}`));
    f.on('agent-removed', (x) => events.push(`removed ${x.status.state} ${x.alive}`));
    appendFileSync(file, line({ t: 'usage', at: iso(), model: 'claude-haiku-4-5', input: 3_000_000, output: 0, cwd }) + line({ t: 'turn', index: 0, at: iso(), endedAt: iso() }) + line({ t: 'signal', state: 'idle', at: iso() }));
    await f.poll();
    expect(events).toEqual(['status working->idle', 'turn 0', 'cost 3.00']);
    process.kill(-(a.pid as number), 'SIGKILL');
    await pollUntil(f, (s) => s.length === 0);
    expect(events.slice(3)).toEqual(['status idle->exited', 'removed exited false']);
  });

  it('reports a provider that throws and goes on with the others', async () => {
    const w = world();
    startAgent(join(w.dir, 'p'), w.marker);
    const broken = { ...w.provider, id: 'broken', matchProcess: () => { throw new Error('boom'); } } as ProviderV1;
    const f = fleetFor([broken, w.provider], w.dir);
    const failures: ProviderFailedEvent[] = [];
    f.on('provider-failed', (e) => failures.push(e));
    const agents = await pollUntil(f, (s) => s.length === 1);
    await f.poll();
    expect(agents).toHaveLength(1);
    expect(failures).toHaveLength(1); // reported once, not every poll
    expect(failures[0]).toMatchObject({ providerId: 'broken', operation: 'matchProcess' });
  });

  it('kills an agent over its budget, says why, and logs the action', async () => {
    const w = world();
    const cwd = join(w.dir, 'loop');
    const a = startAgent(cwd, w.marker, ['--session-id', 'sess-loop']);
    startAgent(join(w.dir, 'calm'), w.marker, ['--session-id', 'sess-calm']);
    writeFileSync(join(w.transcripts, 'sess-loop.jsonl'), line({ t: 'meta', cwd, at: iso() }) + line({ t: 'usage', at: iso(), model: 'claude-haiku-4-5', input: 4_500_000, output: 0, cwd }));
    writeFileSync(join(w.transcripts, 'sess-calm.jsonl'), line({ t: 'meta', cwd: join(w.dir, 'calm'), at: iso() }));
    const f = fleetFor([w.provider], w.dir, { budgets: [{ scope: 'agent', maxUsd: 5, action: 'kill' }] });
    const exceeded: BudgetActionRecord[] = [];
    const warnings: BudgetActionRecord[] = [];
    f.on('budget-exceeded', (r) => exceeded.push(r));
    f.on('budget-warning', (r) => warnings.push(r));
    await pollUntil(f, (s) => s.length === 2 && s.every((x) => x.sessionId));
    expect(exceeded).toEqual([]);
    expect(warnings.map((x) => x.reason)).toEqual([`agent fake-${a.pid} spent $4.50, 90% of per-agent budget $5.00`]);
    appendFileSync(join(w.transcripts, 'sess-loop.jsonl'), line({ t: 'usage', at: iso(), model: 'claude-haiku-4-5', input: 620_000, output: 0, cwd }));
    await f.poll();
    expect(exceeded).toHaveLength(1);
    const r = exceeded[0] as BudgetActionRecord;
    expect(r.reason).toBe(`agent fake-${a.pid} spent $5.12 > per-agent budget $5.00`);
    expect(r.agentIds).toEqual([`fake-${a.pid}`]);
    expect(r.outcomes[`fake-${a.pid}`]).toBe('exited after SIGTERM');
    expect(warnings).toHaveLength(1);
    const logged = readFileSync(join(w.dir, 'state', 'budget-actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BudgetActionRecord);
    expect(logged.map((l) => `${l.kind}: ${l.reason}`)).toEqual([`warning: ${warnings[0]?.reason}`, `exceeded: ${r.reason}`]);
    const after = await pollUntil(f, (s) => s.length === 1);
    expect(after.map((x) => x.sessionId)).toEqual(['sess-calm']);
  });

  it('pauses without a pane by flag, and reports an unknown cost instead of counting it as zero', async () => {
    const w = world();
    const cwd = join(w.dir, 'p');
    startAgent(cwd, w.marker, ['--session-id', 'sess-u']);
    writeFileSync(join(w.transcripts, 'sess-u.jsonl'), line({ t: 'meta', cwd, at: iso() }) + line({ t: 'usage', at: iso(), model: 'mystery-model-9', input: 10, output: 10, cwd }));
    const f = fleetFor([w.provider], w.dir, { budgets: [{ scope: 'agent', maxUsd: 1, action: 'pause' }, { scope: 'project', maxTokens: 5, action: 'pause' }] });
    const warnings: BudgetActionRecord[] = [];
    const exceeded: BudgetActionRecord[] = [];
    f.on('budget-warning', (r) => warnings.push(r));
    f.on('budget-exceeded', (r) => exceeded.push(r));
    const [agent] = await pollUntil(f, (s) => s[0]?.sessionId === 'sess-u');
    expect(agent?.cost.usd).toBeNull();
    expect(warnings.map((x) => x.reason)).toEqual([expect.stringMatching(/unknown cost .*cannot be checked against per-agent budget \$1\.00/)]);
    expect(exceeded.map((x) => x.reason)).toEqual(['project p used 20 tokens > per-project budget 5 tokens']);
    expect(exceeded[0]?.outcomes[agent?.id as string]).toMatch(/^paused \(no tmux pane/);
    expect(f.isPaused(agent?.id as string)).toBe(true);
    expect(f.snapshot()[0]?.paused).toBe(true);
    f.resume(agent?.id as string);
    expect(f.isPaused(agent?.id as string)).toBe(false);
  });

  it('rejects bad options with a typed error naming the field', () => {
    expect(() => createFleet({ providers: [], autoStart: false })).toThrow(InvalidArgumentError);
    const w = world();
    expect(() => fleetFor([w.provider], w.dir, { budgets: [{ scope: 'agent', maxUsd: 0 }] })).toThrow(/budgets\[0\]\.maxUsd/);
  });
});

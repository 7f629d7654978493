import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UsageLedger,
  createFleet,
  createHookReceiver,
  installHookSettings,
  type AgentState,
  type BudgetActionRecord,
  type Fleet,
  type FleetAgent,
  type ProviderV1,
} from '@agentmux/core';
import { claude, hookSettings } from '@agentmux/provider-claude';
import { codex } from '@agentmux/provider-codex';
import { gemini } from '@agentmux/provider-gemini';
import { IDLE_MARKERS, createPrivateTmux, fakeBinDir, fakeEnv, waitFor, writeScenario, type PrivateTmux, type Scenario } from '@agentmux/testkit';

/**
 * End to end, with plain tmux (no lifecycle spawn): five fake agents of the three kinds, discovered by the fleet
 * with the real providers; status driven through working → waiting-permission → idle; costs equal to a fresh read
 * of the transcripts; a budget kill stops the looping agent and says why.
 */
const providers: ProviderV1[] = [claude, codex, gemini];
const home = realpathSync(mkdtempSync(join(tmpdir(), 'amx-e2e-')));
const stateDir = join(home, 'state');
const env = fakeEnv({ home });
const permId = randomUUID();

interface Spec {
  name: string;
  kind: 'claude' | 'codex' | 'gemini';
  args: string[];
  scenario: Scenario;
}
const specs: Spec[] = [
  { name: 'claude-perm', kind: 'claude', args: ['--session-id', permId], scenario: { askPermission: true, toolCalls: 1, turnDurationMs: 2000 } },
  { name: 'claude-plain', kind: 'claude', args: [], scenario: { toolCalls: 1, turnDurationMs: 600 } },
  { name: 'codex-loop', kind: 'codex', args: [], scenario: { loop: true, turnDurationMs: 400 } },
  { name: 'codex-plain', kind: 'codex', args: [], scenario: { toolCalls: 1, turnDurationMs: 600 } },
  { name: 'gemini-plain', kind: 'gemini', args: [], scenario: { toolCalls: 1, turnDurationMs: 600 } },
];
const cwdOf = (name: string) => join(home, 'work', name);

let tmux: PrivateTmux;
let fleet: Fleet;
const statuses = new Map<string, AgentState[]>();
const exceeded: BudgetActionRecord[] = [];
const removed: FleetAgent[] = [];

/** Our agents: other tests on this machine may run fake CLIs too, and the fleet sees every process. */
const mine = () => fleet.snapshot().filter((a) => a.pane?.socketPath === tmux.socket);
const byName = (name: string) => mine().find((a) => a.name === name);
const until = <T>(what: string, fn: () => T | undefined | false, timeoutMs = 15_000) =>
  waitFor(async () => fn() || undefined, { timeoutMs, intervalMs: 100, description: what });

beforeAll(async () => {
  tmux = createPrivateTmux('amx-e2e-tmux-');
  const receiver = createHookReceiver({ dir: join(stateDir, 'hooks') });
  for (const s of specs) {
    const cwd = cwdOf(s.name);
    mkdirSync(cwd, { recursive: true });
    if (s.kind === 'claude') installHookSettings(join(cwd, '.claude', 'settings.local.json'), hookSettings(receiver.command));
    const scenarioFile = writeScenario(s.scenario, join(home, 'scenarios'));
    const pass: Record<string, string> = {};
    for (const k of ['PATH', 'HOME', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME']) pass[k] = env[k] as string;
    pass['AGENTMUX_FAKE_SCENARIO'] = scenarioFile;
    // tmux keeps its own PATH for new panes, so the fake is named by its absolute path
    await tmux.newSession(s.name, [join(fakeBinDir(), s.kind), ...s.args], { cwd, env: pass, width: 120, height: 40 });
  }
  for (const s of specs) {
    const marker = s.kind === 'claude' ? /\? for shortcuts|⏵⏵/ : IDLE_MARKERS[s.kind];
    await waitFor(async () => {
      const screen = await tmux.capture(s.name);
      return (typeof marker === 'string' ? screen.includes(marker) : marker.test(screen)) || undefined;
    }, { timeoutMs: 15_000, description: `${s.name} idle prompt` });
  }
  fleet = createFleet({
    providers,
    env,
    pollMs: 250,
    rescanMs: 1000,
    tmuxDefaultServer: false,
    tmuxSockets: [tmux.socket],
    stateDir,
    hooks: createHookReceiver({ dir: join(stateDir, 'hooks'), writeScript: false }),
    killGraceMs: 1500,
    budgets: [{ scope: 'agent', only: 'codex-loop', maxUsd: 0.05, action: 'kill', warnAt: 1 }],
  });
  fleet.on('status-changed', (a) => statuses.set(a.name, [...(statuses.get(a.name) ?? []), a.status.state]));
  fleet.on('budget-exceeded', (r) => exceeded.push(r));
  fleet.on('agent-removed', (a) => removed.push(a));
}, 60_000);

afterAll(async () => {
  await fleet?.dispose();
  await tmux?.dispose();
  rmSync(home, { recursive: true, force: true });
});

describe('a live fleet of five fake agents in plain tmux', () => {
  it('discovers all five with their panes', async () => {
    const agents = await until('five agents', () => mine().length === 5 && mine());
    expect(agents.map((a) => a.name).sort()).toEqual(specs.map((s) => s.name).sort());
    for (const a of agents) {
      expect(a.pane?.socketPath).toBe(tmux.socket);
      expect(a.providerId).toBe(specs.find((s) => s.name === a.name)?.kind);
      expect(a.cwd).toBe(cwdOf(a.name));
    }
  });

  it('matches each agent to its own session once it has a transcript', async () => {
    for (const s of specs) if (s.name !== 'codex-loop') await tmux.sendText(s.name, `hello from ${s.name}`).then(() => tmux.sendKeys(s.name, 'Enter'));
    const agents = await until('four sessions', () => {
      const list = mine().filter((a) => a.name !== 'codex-loop');
      return list.every((a) => a.sessionId && a.transcriptPath) && list;
    });
    expect(byName('claude-perm')).toMatchObject({ sessionId: permId, sessionMatch: 'exact' });
    for (const a of agents) {
      // the transcript named is the one the agent wrote in its own cwd
      expect(readFileSync(a.transcriptPath as string, 'utf8')).toContain(`hello from ${a.name}`);
    }
    expect(new Set(agents.map((a) => a.sessionId)).size).toBe(agents.length);
  });

  it('follows claude-perm through working → waiting-permission → idle', async () => {
    await until('permission prompt', () => byName('claude-perm')?.status.state === 'waiting-permission');
    expect(fleet.explain('claude-perm')).toMatch(/^waiting-permission, decided by (hook|pane)/);
    await tmux.sendKeys('claude-perm', 'Enter'); // choice 1: yes
    await until('claude-perm idle', () => byName('claude-perm')?.status.state === 'idle');
    const seen = statuses.get('claude-perm') ?? [];
    const w = seen.indexOf('working');
    const p = seen.indexOf('waiting-permission');
    expect(w).toBeGreaterThanOrEqual(0);
    expect(p).toBeGreaterThan(w);
    expect(seen.lastIndexOf('idle')).toBeGreaterThan(p);
  });

  it('reports costs equal to a fresh read of each transcript', async () => {
    await until('all four idle', () => mine().filter((a) => a.name !== 'codex-loop').every((a) => a.status.state === 'idle'));
    await fleet.poll();
    for (const a of mine().filter((x) => x.name !== 'codex-loop')) {
      const provider = providers.find((p) => p.id === a.providerId) as ProviderV1;
      const files = (await provider.listTranscripts({ env })).filter((f) => f.sessionId === a.sessionId || f.parentSessionId === a.sessionId);
      const ledger = new UsageLedger();
      for (const f of files) {
        const d = await provider.openTranscript(f).read();
        ledger.add(d.usage, f.path, d.retractedKeys);
      }
      const fresh = ledger.get('session', a.sessionId as string);
      expect(fresh?.cost.usd, `${a.name} fresh cost`).toBeGreaterThan(0);
      expect(a.cost.usd, a.name).toBeCloseTo(fresh?.cost.usd as number, 9);
      expect(a.usage).toEqual(fresh?.usage);
    }
  });

  it('kills the looping agent when it passes its budget, and says why', async () => {
    await tmux.sendText('codex-loop', 'fix the failing test');
    await tmux.sendKeys('codex-loop', 'Enter');
    const record = await until('budget kill', () => exceeded[0], 30_000);
    expect(record.reason).toMatch(/^agent codex-loop spent \$0\.\d\d > per-agent budget \$0\.05$/);
    expect(record.action).toBe('kill');
    expect(Object.values(record.outcomes)[0]).toMatch(/exited after SIGTERM|killed with SIGKILL/);
    const gone = await until('codex-loop removed', () => removed.find((a) => a.name === 'codex-loop'));
    expect(gone.status.state).toBe('exited');
    expect(mine().map((a) => a.name).sort()).toEqual(['claude-perm', 'claude-plain', 'codex-plain', 'gemini-plain']);
    const log = readFileSync(join(stateDir, 'budget-actions.jsonl'), 'utf8');
    expect(log).toContain(record.reason);
  });
});

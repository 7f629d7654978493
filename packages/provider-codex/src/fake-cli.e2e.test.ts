import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranscriptDeltaSchema, type AgentState, type ProcessInfo, type TranscriptDelta } from '@agentmux/core';
import { createPrivateTmux, fakeEnv, waitFor, type PrivateTmux } from '@agentmux/testkit';
import { createCodexProvider } from './provider.js';
import { CodexRolloutLineSchema } from './schema.js';
import { mergeDeltas } from './test-helpers.test-util.js';

/**
 * Runs the testkit's fake Codex CLI live in a private tmux server (never the default one), drives it
 * through two prompts (the second asks for permission), and checks the provider end to end: binary
 * lookup, command building, pane status, process recognition, transcript listing, schema validation,
 * incremental reading and session matching.
 */
const provider = createCodexProvider();
let tmux: PrivateTmux;
let root: string;
let env: Record<string, string>;
let cwd: string;

beforeAll(() => {
  tmux = createPrivateTmux('agentmux-codex-e2e-');
  root = mkdtempSync(join(tmpdir(), 'codex-e2e-'));
  cwd = mkdtempSync(join(root, 'work-'));
  env = fakeEnv({
    home: join(root, 'home'),
    scenario: { turnDurationMs: 2500, turns: [{ toolCalls: 1, answer: 'The repo has two packages.' }, { askPermission: true, tools: [{ kind: 'shell', command: 'npm test' }], answer: 'Tests pass.' }] },
  });
});

afterAll(async () => {
  await tmux?.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** A process-table row for a pid, read from /proc and ps (Linux). */
function processRow(pid: number): ProcessInfo {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a.length > 0);
  const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  const lstart = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } }).trim();
  return { pid, ppid, name, argv, cwd: readlinkSync(`/proc/${pid}/cwd`), startedAt: new Date(`${lstart} UTC`).toISOString() };
}

async function paneState(seen?: Set<AgentState>): Promise<AgentState | null> {
  const state = provider.statusFromPane(await tmux.capture('codex'))?.state ?? null;
  if (state && seen) seen.add(state);
  return state;
}

describe('fake Codex CLI in a private tmux', () => {
  it('runs two turns and the provider follows them end to end', async () => {
    const binary = await provider.findBinary({ env });
    expect(binary?.path).toMatch(/testkit\/bin\/codex$/);
    expect(binary?.version).toMatch(/^codex-cli \d+\.\d+\.\d+$/);

    const cmd = provider.buildSpawnCommand({ cwd, model: 'gpt-5-codex', permissionMode: 'default' });
    const panePid = await tmux.newSession('codex', [binary!.path, ...cmd.args], { cwd: cmd.cwd, env: { ...env, ...cmd.env } });
    await waitFor(async () => (await paneState()) === 'idle', { timeoutMs: 15_000, description: 'idle composer' });

    // Turn 1: working, then idle again.
    const seen = new Set<AgentState>();
    await tmux.run('send-keys', '-t', 'codex', '-l', 'Explain the repo');
    await tmux.run('send-keys', '-t', 'codex', 'Enter');
    await waitFor(async () => (await paneState(seen)) === 'working', { timeoutMs: 10_000, intervalMs: 100, description: 'working line' });
    await waitFor(async () => (await paneState(seen)) === 'idle', { timeoutMs: 20_000, intervalMs: 100, description: 'idle after turn 1' });
    expect(seen.has('working')).toBe(true);

    // The rollout exists and is read incrementally.
    const files = await waitFor(async () => {
      const list = await provider.listTranscripts({ env });
      return list.length === 1 ? list : null;
    }, { description: 'one rollout' });
    const file = files[0]!;
    const reader = provider.openTranscript(file);
    const deltas: TranscriptDelta[] = [await reader.read()];
    expect(deltas[0]?.turns.map((t) => t.userText)).toEqual(['Explain the repo']);

    // Turn 2: a permission prompt, approved from the keyboard.
    await tmux.run('send-keys', '-t', 'codex', '-l', 'Run the tests');
    await tmux.run('send-keys', '-t', 'codex', 'Enter');
    await waitFor(async () => (await paneState()) === 'waiting-permission', { timeoutMs: 15_000, intervalMs: 100, description: 'approval prompt' });
    await tmux.run('send-keys', '-t', 'codex', 'y');
    await tmux.run('send-keys', '-t', 'codex', 'Enter');
    await waitFor(async () => (await paneState()) === 'idle', { timeoutMs: 20_000, intervalMs: 100, description: 'idle after turn 2' });
    await waitFor(async () => {
      const d = await reader.read();
      deltas.push(d);
      return mergeDeltas(deltas).turns[1]?.endedAt !== undefined;
    }, { timeoutMs: 10_000, intervalMs: 100, description: 'turn 2 written' });

    // Every line on disk matches schema.ts; every delta matches the core contract.
    const lines = readFileSync(file.path, 'utf8').split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(CodexRolloutLineSchema.safeParse(JSON.parse(line)).success).toBe(true);
    for (const d of deltas) expect(() => TranscriptDeltaSchema.parse(d)).not.toThrow();

    const merged = mergeDeltas(deltas);
    expect(merged.skipped['invalid-json']).toBeUndefined();
    expect(merged.unknownTypes).toEqual({});
    expect(merged.turns.map((t) => [t.userText, t.assistantText])).toEqual([
      ['Explain the repo', 'The repo has two packages.'],
      ['Run the tests', 'Tests pass.'],
    ]);
    expect(merged.turns[1]?.tools.find((t) => t.inputSummary === 'npm test')?.outcome).toBe('ok');
    const total = merged.usage.reduce((n, u) => n + u.usage.input + u.usage.output + u.usage.cacheRead, 0);
    expect(total).toBeGreaterThan(0);
    expect(merged.usage.every((u) => u.model === 'gpt-5-codex' && u.sessionId === file.sessionId)).toBe(true);
    expect(merged.signals.at(-1)?.state).toBe('idle');
    expect(merged.session).toMatchObject({ id: file.sessionId, cwd, models: ['gpt-5-codex'] });

    // The pane process is recognised (node wrapper of bin/codex) and matched to its session.
    const match = provider.matchProcess(processRow(panePid));
    expect(match).not.toBeNull();
    expect(match?.model).toBe('gpt-5-codex');
    const candidate = { sessionId: file.sessionId, cwd: merged.session.cwd, startedAt: merged.session.startedAt, lastActivityAt: merged.session.lastActivityAt, path: file.path };
    expect(provider.matchSession(match!, [candidate])?.sessionId).toBe(file.sessionId);
  }, 90_000);
});

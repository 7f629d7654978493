import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentState, TranscriptDelta, TranscriptReaderV1, Turn } from '@agentmux/core';
import { createPrivateTmux, fakeEnv, waitFor, writeScenario, type PrivateTmux } from '@agentmux/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaudeProvider } from './provider.js';
import { ClaudeLineSchema } from './schema.js';

/**
 * Runs the testkit fake Claude CLI live in a private tmux server, drives two turns (the first asks permission for
 * a shell command), and checks the provider end to end: findBinary, buildSpawnCommand, matchProcess on the real
 * process row, statusFromPane on the live screen, the incremental reader while the agent works, matchSession,
 * and that every transcript line validates against the schema.
 */
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasTmux)('fake Claude CLI in a private tmux', () => {
  const root = mkdtempSync(join(tmpdir(), 'agentmux-claude-e2e-'));
  const home = join(root, 'home');
  const cwd = mkdtempSync(join(root, 'work-'));
  const env = fakeEnv({
    home,
    scenario: writeScenario(
      {
        turnDurationMs: 300,
        idleNotifyMs: 600_000,
        turns: [
          { askPermission: true, tools: [{ kind: 'shell', command: 'make build' }], answer: 'Built.' },
          { toolCalls: 1, answer: 'All good.' },
        ],
      },
      root,
    ),
  });
  const provider = createClaudeProvider();
  let tmux: PrivateTmux;
  const deltas: TranscriptDelta[] = [];
  let reader: TranscriptReaderV1 | undefined;

  beforeAll(() => {
    tmux = createPrivateTmux('agentmux-claude-e2e-');
  });
  afterAll(async () => {
    await tmux.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const paneState = async (): Promise<AgentState | undefined> => provider.statusFromPane(await tmux.capture('agent'))?.state;
  const waitPane = (state: AgentState) => waitFor(async () => (await paneState()) === state, { timeoutMs: 15_000, description: `pane ${state}` });
  const pump = async (): Promise<TranscriptDelta[]> => {
    if (!reader) {
      const files = await provider.listTranscripts({ env });
      const file = files.find((f) => f.kind === 'main');
      if (!file) return deltas;
      reader = provider.openTranscript(file);
    }
    deltas.push(await reader.read());
    return deltas;
  };
  const lastSignal = () => deltas.flatMap((d) => d.signals).at(-1);
  const turns = (): Turn[] => {
    const map = new Map<number, Turn>();
    for (const d of deltas) for (const t of d.turns) map.set(t.index, t);
    return [...map.values()].sort((a, b) => a.index - b.index);
  };

  it('runs two turns and the provider follows them live', async () => {
    const binary = await provider.findBinary({ env });
    expect(binary?.path).toMatch(/testkit\/bin\/claude$/);
    expect(binary?.version).toMatch(/^\d+\.\d+\.\d+ \(Claude Code\)$/);

    const spec = provider.buildSpawnCommand({ cwd, permissionMode: 'default', env: { AGENTMUX_E2E: '1' } });
    const panePid = await tmux.newSession('agent', [binary!.path, ...spec.args], { cwd: spec.cwd, env: { ...env, ...spec.env } });
    expect(spec.sessionId).toBeDefined();

    // The process row, as discovery would read it from /proc, is recognised with its preset session id.
    const startedAt = new Date().toISOString();
    const match = await waitFor(() => {
      const argv = readFileSync(`/proc/${panePid}/cmdline`, 'utf8').split('\0').filter((a) => a.length > 0);
      // Until node has exec'd, the row shows tmux's fork or `env node …` without the flags yet.
      return argv.includes('--session-id') ? provider.matchProcess({ pid: panePid, ppid: 1, name: 'node', argv, cwd, startedAt }) : null;
    }, { timeoutMs: 10_000, description: 'agent process row' });
    expect(match).toMatchObject({ sessionId: spec.sessionId, process: { providerId: 'claude' } });
    expect(provider.matchProcess({ pid: panePid, ppid: 1, name: 'grep', argv: ['grep', 'claude'] })).toBeNull();

    await waitPane('idle');
    await tmux.sendText('agent', 'Build the project');
    await tmux.sendKeys('agent', 'Enter');
    await waitPane('waiting-permission');
    // While the permission prompt is up, the transcript says a tool was requested and has no result yet.
    await waitFor(async () => (await pump(), lastSignal()?.rule === 'claude.transcript.tool_use'), { timeoutMs: 10_000, description: 'tool_use signal' });
    expect(turns()[0]?.tools).toMatchObject([{ name: 'Bash', inputSummary: 'make build', outcome: 'pending' }]);

    await tmux.sendKeys('agent', 'Enter');
    await waitFor(async () => (await pump(), turns()[0]?.endedAt !== undefined && lastSignal()?.state === 'idle'), { timeoutMs: 15_000, description: 'turn 0 ends' });
    await waitPane('idle');

    await tmux.sendText('agent', 'Check it again');
    await tmux.sendKeys('agent', 'Enter');
    await waitFor(async () => (await pump(), turns().length === 2 && turns()[1]?.endedAt !== undefined && lastSignal()?.state === 'idle'), {
      timeoutMs: 15_000,
      description: 'turn 1 ends',
    });

    const all = turns();
    expect(all.map((t) => t.userText)).toEqual(['Build the project', 'Check it again']);
    expect(all[0]?.tools).toMatchObject([{ name: 'Bash', outcome: 'ok' }]);
    expect(all[0]?.assistantText).toContain('Built.');
    expect(all[1]?.assistantText).toContain('All good.');
    for (const t of all) expect(t.usage.output).toBeGreaterThan(0);
    const usage = deltas.flatMap((d) => d.usage);
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.every((u) => u.sessionId === spec.sessionId && u.cwd === cwd && u.dedupKey !== undefined)).toBe(true);
    const skipped = deltas.reduce((n, d) => n + Object.values(d.skipped).reduce((a, b) => a + b, 0), 0);
    expect(skipped).toBe(0);

    // Every line the fake wrote validates against the schema.
    const path = reader!.file.path;
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(ClaudeLineSchema.safeParse(JSON.parse(line)).success, line.slice(0, 160)).toBe(true);

    // The session facts pick this session for the process.
    const session = deltas.at(-1)!.session;
    expect(session).toMatchObject({ id: spec.sessionId, cwd });
    const candidate = { sessionId: session.id!, cwd: session.cwd!, startedAt: session.startedAt!, path };
    expect(provider.matchSession(match, [candidate])).toEqual(candidate);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptDelta, TranscriptFile } from '@agentmux/core';
import { createPrivateTmux, fakeBinDir, fakeEnv, waitFor, type PrivateTmux } from '@agentmux/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { foldDeltas } from './__fixtures__/fold-deltas.js';
import { createGeminiProvider } from './provider.js';
import { GeminiJsonlLineSchema } from './schema.js';

/** The fake runs from the testkit's build output; when it cannot run (no `pnpm build` yet) this suite is skipped. */
const fakeReady = spawnSync(process.execPath, [join(fakeBinDir(), 'gemini'), '--version'], { timeout: 10_000, stdio: 'ignore' }).status === 0;

let tmux: PrivateTmux | undefined;
let home: string | undefined;
afterEach(async () => {
  await tmux?.dispose();
  tmux = undefined;
  if (home) await rm(home, { recursive: true, force: true });
  home = undefined;
});

describe.skipIf(!fakeReady)('fake Gemini CLI in a private tmux', () => {
  it('drives a session and reads it back: schema-valid lines, turns, usage, signals ending idle', async () => {
    home = await mkdtemp(join(tmpdir(), 'gemini-e2e-'));
    const project = join(home, 'work', 'demo app');
    await mkdir(project, { recursive: true });
    const env = fakeEnv({
      home,
      scenario: { turnDurationMs: 400, turns: [{ askPermission: true, tools: [{ kind: 'shell', command: 'npm test', output: 'ok' }], answer: 'Tests pass.' }] },
    });
    const provider = createGeminiProvider();
    tmux = createPrivateTmux('agentmux-gemini-e2e-');
    await tmux.newSession('g', [join(fakeBinDir(), 'gemini'), '--model', 'gemini-2.5-flash'], { cwd: project, env });
    const t = tmux;
    await waitFor(async () => provider.statusFromPane(await t.capture('g'))?.state === 'idle', { description: 'idle prompt', timeoutMs: 15_000 });

    // the session file exists from the start and is discoverable through the provider's roots
    const file = await waitFor(async () => (await provider.listTranscripts({ env }))[0], { description: 'transcript file' });
    expect(file).toMatchObject({ providerId: 'gemini', kind: 'main' });
    const reader = provider.openTranscript(file as TranscriptFile);
    const deltas: TranscriptDelta[] = [await reader.read()];

    await t.run('send-keys', '-t', 'g', '-l', 'Run the tests please');
    await t.run('send-keys', '-t', 'g', 'Enter');
    const prompt = await waitFor(async () => {
      const ev = provider.statusFromPane(await t.capture('g'));
      return ev?.state === 'waiting-permission' ? ev : undefined;
    }, { description: 'permission prompt', timeoutMs: 15_000 });
    expect(prompt.rule).toBe('gemini.pane.permission-prompt');
    deltas.push(await reader.read());
    expect(foldDeltas(deltas).lastSignal?.state).toBe('waiting-permission');

    await t.run('send-keys', '-t', 'g', 'Enter');
    await waitFor(async () => (await t.capture('g')).includes('Tests pass.'), { description: 'answer', timeoutMs: 15_000 });
    await waitFor(async () => {
      deltas.push(await reader.read());
      return foldDeltas(deltas).lastSignal?.state === 'idle';
    }, { description: 'transcript idle', timeoutMs: 10_000 });

    const lines = (await readFile(file!.path, 'utf8')).split('\n').filter(Boolean);
    for (const line of lines) expect(GeminiJsonlLineSchema.safeParse(JSON.parse(line)).success, line.slice(0, 160)).toBe(true);

    const all = foldDeltas(deltas);
    expect(all.skipped).toEqual({});
    expect(all.session).toMatchObject({ id: file!.sessionId, cwd: project, models: ['gemini-2.5-flash'] });
    const turns = [...all.turns.values()];
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ index: 0, userText: 'Run the tests please', assistantText: expect.stringContaining('Tests pass.') as string });
    expect(turns[0]?.tools).toMatchObject([{ name: 'run_shell_command', inputSummary: 'npm test', outcome: 'ok' }]);
    expect(turns[0]?.endedAt).toBeDefined();
    const usage = [...all.usage.values()];
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.every((u) => u.usage.input + u.usage.cacheRead > 0 && u.usage.output > 0)).toBe(true);
    expect(all.signalStates).toContain('waiting-permission');
    expect(all.lastSignal?.state).toBe('idle');

    // the process table row of the pane's command is recognised, and matched to this session
    const match = provider.matchProcess({ pid: 99, ppid: 1, name: 'node', argv: ['node', join(fakeBinDir(), 'gemini'), '--model', 'gemini-2.5-flash'], cwd: project, startedAt: all.session.startedAt ?? '' });
    expect(match?.model).toBe('gemini-2.5-flash');
    const candidate = { sessionId: file!.sessionId, cwd: project, startedAt: all.session.startedAt ?? '', path: file!.path };
    expect(provider.matchSession(match!, [candidate])?.sessionId).toBe(file!.sessionId);
  });
});

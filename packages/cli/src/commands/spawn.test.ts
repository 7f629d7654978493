// End-to-end: the lifecycle commands and the agent manager driving the testkit's fake `claude` (a real-like
// UI with bracketed paste that writes real transcripts) in a private tmux server and in a pty.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentManager, createPtyBackend, createTmuxBackend, type AgentManagerEvents, type SessionBackendV1 } from '@agentmux/core';
import { createClaudeProvider } from '@agentmux/provider-claude';
import { claudeTranscriptPath, fakeBinDir, fakeEnv, isSameProcessAlive, processStartTicks, writeScenario } from '@agentmux/testkit';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandIo } from '../command.js';
import { main } from '../main.js';
import { attachArgv } from './attach.js';

const FAKE_CLAUDE = join(fakeBinDir(), 'claude');

interface Env {
  dir: string;
  work: string;
  stateDir: string;
  env: Record<string, string>;
  scenario: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function setup(turnDurationMs = 300): Env {
  const dir = mkdtempSync(join(tmpdir(), 'amx-cli-life-'));
  const work = join(dir, 'work');
  mkdirSync(work);
  const stateDir = join(dir, 'state');
  const env = fakeEnv({ home: join(dir, 'home') });
  const scenario = writeScenario({ turnDurationMs, toolCalls: 0 }, join(dir, 'scenarios'));
  env.AGENTMUX_STATE_DIR = stateDir;
  env.AGENTMUX_CLAUDE_BINARY = FAKE_CLAUDE;
  env.AGENTMUX_FAKE_SCENARIO = scenario;
  cleanups.push(async () => {
    await execa('tmux', ['-S', join(stateDir, 'tmux.sock'), 'kill-server'], { reject: false });
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, work, stateDir, env, scenario };
}

function captureIo(e: Env): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTty: false, stderrIsTty: false, env: e.env, cwd: e.work };
}

async function cli(e: Env, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(e);
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** User prompts (string content) recorded in a Claude transcript. */
function prompts(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; isMeta?: boolean; isCompactSummary?: boolean; message?: { content?: unknown } })
    .filter((r) => r.type === 'user' && !r.isMeta && !r.isCompactSummary && typeof r.message?.content === 'string')
    .map((r) => r.message?.content as string);
}

async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('agentmux spawn / send / peek / kill / attach with the fake claude', () => {
  it('spawns, delivers prompts byte-exact, peeks, searches and kills', async () => {
    const e = setup();
    const canary = join(e.dir, 'canary');
    const spawned = await cli(e, 'spawn', 'claude', '--name', 'c1', '--prompt', 'first prompt', '--json');
    expect(spawned.err).toBe('');
    expect(spawned.code).toBe(0);
    const record = JSON.parse(spawned.out) as { sessionId: string; pid: number; cwd: string };
    expect(record.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const ticks = processStartTicks(record.pid);
    const transcript = claudeTranscriptPath(join(e.env.HOME as string, '.claude'), e.work, record.sessionId);
    expect(prompts(transcript)).toEqual(['first prompt']);
    const tricky = `multi-line\n$(touch ${canary}); rm -rf ~ 'quotes' "double"\n\ttabbed ünïcødé 🚀;`;
    const sent = await cli(e, 'send', 'c1', tricky, '--json');
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.out)).toMatchObject({ status: 'delivered', confirmedBy: 'transcript' });
    expect(prompts(transcript)).toEqual(['first prompt', tricky]);
    expect(existsSync(canary)).toBe(false);
    const dup1 = await cli(e, 'send', 'c1', 'once only', '--key', 'k-1', '--json');
    const dup2 = await cli(e, 'send', 'c1', 'once only', '--key', 'k-1', '--json');
    expect(JSON.parse(dup1.out).status).toBe('delivered');
    expect(JSON.parse(dup2.out).status).toBe('duplicate');
    const peek = await cli(e, 'peek', 'c1', '--lines', '60');
    expect(peek.out).toContain('first prompt');
    const found = await cli(e, 'peek', '--search', 'first prompt', '--json');
    expect(JSON.parse(found.out)[0]).toMatchObject({ name: 'c1' });
    const killed = await cli(e, 'kill', 'c1', '--grace', '500', '--json');
    expect(JSON.parse(killed.out)).toMatchObject({ name: 'c1', state: 'killed' });
    expect(isSameProcessAlive(record.pid, ticks)).toBe(false);
    expect(prompts(transcript)).toEqual(['first prompt', tricky, 'once only']);
  });

  it('refuses bad input with exit codes and clear messages', async () => {
    const e = setup();
    expect((await cli(e, 'spawn', 'claude')).code).toBe(2);
    expect((await cli(e, 'spawn', 'nope', '--name', 'x')).err).toMatch(/unknown provider "nope"/);
    const ghost = await cli(e, 'send', 'ghost', 'hi');
    expect(ghost.code).toBe(1);
    expect(ghost.err).toMatch(/No agent "ghost"/);
    expect((await cli(e, 'send', 'ghost', 'a\u0000b')).err).toMatch(/NUL/);
    expect((await cli(e, 'attach', 'ghost')).code).toBe(1);
    expect(attachArgv(['-S', '/s'], 'a1', true)).toEqual(['-S', '/s', 'attach-session', '-r', '-t', '=a1:']);
  });

  it('runs a headless job and prints its turn events', async () => {
    const e = setup(50);
    const run = await cli(e, 'spawn', 'claude', '--name', 'job', '--backend', 'headless', '--prompt', 'summarise', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as { exitCode: number; events: { event: string }[]; record: { sessionId: string } };
    expect(result.exitCode).toBe(0);
    expect(result.events.map((x) => x.event)).toContain('turn-ended');
    expect(result.record.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['codex', 'gemini'])('runs a headless %s job: no preset session id, learned from its output, usage in the turn', async (provider) => {
    const e = setup(50);
    const run = await cli(e, 'spawn', provider, '--name', `job-${provider}`, '--backend', 'headless', '--prompt', 'summarise', '--json');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as { exitCode: number; events: { event: string; turn?: { usage: { input: number; output: number } } }[]; record: { sessionId: string; sessionIdSource: string } };
    expect(result.exitCode).toBe(0);
    const ended = result.events.find((x) => x.event === 'turn-ended');
    expect((ended?.turn?.usage.input ?? 0) + (ended?.turn?.usage.output ?? 0)).toBeGreaterThan(0);
    expect(result.record).toMatchObject({ sessionIdSource: 'transcript' });
    expect(result.record.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe.each(['tmux', 'pty'] as const)('watchdog with the fake claude on %s', (kind) => {
  it('restarts a kill -9ed agent with its session resumed and replays the undelivered message', async () => {
    const e = setup(1500);
    const backend: SessionBackendV1 = kind === 'tmux' ? createTmuxBackend({ stateDir: e.stateDir, killServerOnDispose: true }) : createPtyBackend();
    const manager = createAgentManager({
      backend, stateDir: e.stateDir, providers: [createClaudeProvider({ binaryPath: FAKE_CLAUDE })], env: e.env,
      passEnv: ['PATH', 'HOME', 'CLAUDE_CONFIG_DIR', 'AGENTMUX_FAKE_SCENARIO'],
      watchdog: { intervalMs: 100, backoffBaseMs: 100 },
    });
    cleanups.push(async () => {
      await manager[Symbol.asyncDispose]();
      for (const s of await backend.list()) await backend.kill(s.name, { graceMs: 200 }).catch(() => undefined);
      await backend[Symbol.asyncDispose]();
    });
    const events: string[] = [];
    for (const name of ['agent-exited', 'agent-restarted', 'message-queued', 'message-delivered'] as (keyof AgentManagerEvents)[]) manager.on(name, () => events.push(name));
    const record = await manager.spawn('claude', { name: 'w1', cwd: e.work, prompt: 'turn one' });
    const transcript = claudeTranscriptPath(join(e.env.HOME as string, '.claude'), e.work, record.sessionId as string);
    expect(prompts(transcript)).toEqual(['turn one']);
    // Turn one is running: turn two is held back, then the agent dies before the turn boundary.
    const queued = await manager.send('w1', 'turn two');
    expect(queued.status).toBe('queued');
    process.kill(record.pid as number, 'SIGKILL');
    await waitFor(() => events.includes('agent-restarted'), 'restart');
    const after = await manager.get('w1');
    expect(after.command.args).toEqual(expect.arrayContaining(['--resume', record.sessionId as string]));
    await waitFor(() => prompts(transcript).length === 2, 'replayed prompt', 20_000);
    expect(prompts(transcript)).toEqual(['turn one', 'turn two']);
    expect(events).toEqual(expect.arrayContaining(['message-queued', 'agent-exited', 'agent-restarted', 'message-delivered']));
  });
});

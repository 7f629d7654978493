import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { tmpdir } from 'node:os';
import { startFakeAgent, type FakeAgent } from '../fake-agent.js';
import { claudeTranscriptPath } from '../paths.js';
import { waitFor } from '../wait-for.js';
import { readJsonl } from './__fixtures__/read-jsonl.js';

type Rec = Record<string, unknown> & { message?: { content?: unknown; stop_reason?: string; usage?: Record<string, number> } };

let agent: FakeAgent | undefined;
afterEach(async () => {
  await agent?.dispose();
  agent = undefined;
});

async function claude(scenario: Record<string, unknown>, args: string[] = []): Promise<{ a: FakeAgent; path: string }> {
  const id = randomUUID();
  agent = await startFakeAgent({ provider: 'claude', args: ['--session-id', id, ...args], scenario });
  return { a: agent, path: claudeTranscriptPath(join(agent.home, '.claude'), agent.cwd, id) };
}

const paneDead = async (a: FakeAgent): Promise<string> => (await a.tmux.run('display-message', '-p', '-t', a.name, '#{pane_dead} #{pane_dead_status}')).trim();

describe('fake claude scenarios (interactive)', () => {
  it('submits a positional prompt as the first prompt', async () => {
    const { path } = await claude({ turnDurationMs: 100, toolCalls: 0 }, ['hello from argv']);
    const first = await waitFor(() => readJsonl(path)[0] as Rec | undefined);
    expect(first.message?.content).toBe('hello from argv');
  });

  it('loop: burns tokens tool call after tool call until Esc', async () => {
    const { a, path } = await claude({ turnDurationMs: 300, toolCalls: 0, loop: true });
    await a.submit('fix the flaky test');
    await waitFor(() => readJsonl(path).filter((r) => r.type === 'assistant' && (r as Rec).message?.stop_reason === 'tool_use').length >= 3, { timeoutMs: 15_000 });
    await a.tmux.sendKeys(a.name, 'Escape');
    await waitFor(() => readJsonl(path).some((r) => JSON.stringify(r).includes('[Request interrupted by user')));
    const usages = (readJsonl(path) as Rec[]).filter((r) => r.message?.stop_reason === 'tool_use').map((r) => r.message?.usage ?? {});
    for (const u of usages) expect(u.output_tokens).toBeGreaterThanOrEqual(2000);
    expect(usages[2]?.cache_creation_input_tokens).toBeGreaterThanOrEqual(20_000);
    expect(readJsonl(path).some((r) => r.subtype === 'turn_duration')).toBe(false);
  });

  it('crashAfterTurns (turn-end) exits with code 1 right after the turn', async () => {
    const { a, path } = await claude({ turnDurationMs: 100, toolCalls: 0, crashAfterTurns: 1 });
    await a.tmux.run('set-option', '-t', a.name, 'remain-on-exit', 'on');
    await a.submit('one');
    const dead = await waitFor(async () => {
      const v = await paneDead(a);
      return v.startsWith('1') ? v : undefined;
    });
    expect(['1', '1 1']).toContain(dead); // exit status 1, or none where tmux 3.3a lost it
    expect(readJsonl(path).some((r) => r.subtype === 'turn_duration')).toBe(true);
  });

  it('crashMode mid-turn exits during the next turn, leaving a dangling tool_use', async () => {
    const { a, path } = await claude({ turnDurationMs: 100, toolCalls: 1, crashAfterTurns: 1, crashMode: 'mid-turn' });
    await a.tmux.run('set-option', '-t', a.name, 'remain-on-exit', 'on');
    await a.submit('one');
    await waitFor(() => readJsonl(path).some((r) => r.subtype === 'turn_duration'));
    await a.waitForScreen('? for shortcuts');
    await a.submit('two');
    // tmux 3.3a sometimes loses a pane's exit status when the process dies fast ("1 " instead of "1 1").
    const dead = await waitFor(async () => {
      const v = await paneDead(a);
      return v.startsWith('1') ? v : undefined;
    });
    expect(['1', '1 1']).toContain(dead);
    const recs = readJsonl(path) as Rec[];
    expect(recs[recs.length - 1]?.message?.stop_reason).toBe('tool_use');
    expect(recs.filter((r) => r.subtype === 'turn_duration')).toHaveLength(1);
  });

  it('bypassPermissions skips permission prompts and shows the mode line', async () => {
    const { a, path } = await claude({ turnDurationMs: 100, toolCalls: 1, askPermission: true }, ['--dangerously-skip-permissions']);
    expect(await a.capture()).toContain('bypass permissions on');
    await a.submit('go');
    await waitFor(() => readJsonl(path).some((r) => r.subtype === 'turn_duration'));
  });
});

describe('resume in the other fakes', () => {
  it('codex resume <id> appends to the same rollout with growing totals', async () => {
    const { mkdtempSync, readdirSync, realpathSync, rmSync } = await import('node:fs');
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'agentmux-codex-resume-')));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    agent = await startFakeAgent({ provider: 'codex', home, scenario: { turnDurationMs: 100, toolCalls: 0 } });
    await agent.submit('first');
    const find = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? find(join(dir, e.name)) : [join(dir, e.name)]));
    const path = await waitFor(() => find(join(agent?.home ?? '', '.codex', 'sessions')).find((p) => readJsonl(p).some((r) => (r.payload as { type?: string }).type === 'agent_message')));
    const id = /([0-9a-f-]{36})\.jsonl$/.exec(path)?.[1] ?? '';
    await agent.tmux.sendKeys(agent.name, 'C-c', 'C-c');
    const cwd = agent.cwd;
    const tmux = agent.tmux;
    await waitFor(async () => !(await tmux.run('list-sessions').catch(() => '')).includes('codex:'));
    await agent.dispose();
    const before = readJsonl(path).length;
    agent = await startFakeAgent({ provider: 'codex', home, cwd, args: ['resume', id], scenario: { turnDurationMs: 100, toolCalls: 0 } });
    await agent.submit('second');
    await waitFor(() => readJsonl(path).filter((r) => (r.payload as { type?: string }).type === 'agent_message').length === 2);
    const recs = readJsonl(path).map((r) => r.payload as { type?: string; info?: { total_token_usage: { total_tokens: number } } | null });
    expect(recs.length).toBeGreaterThan(before);
    expect(readJsonl(path).filter((r) => r.type === 'session_meta')).toHaveLength(1);
    const totals = recs.filter((r) => r.type === 'token_count' && r.info).map((r) => r.info?.total_token_usage.total_tokens ?? 0);
    expect(totals).toEqual([...totals].sort((x, y) => x - y));
    expect(find(join(home, '.codex', 'sessions'))).toHaveLength(1);
  });
});

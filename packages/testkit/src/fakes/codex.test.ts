import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAgent, type FakeAgent } from '../fake-agent.js';
import { waitFor } from '../wait-for.js';
import { nastyPrompt, readJsonl } from './__fixtures__/read-jsonl.js';

type Rec = { timestamp: string; type: string; payload: Record<string, unknown> & { type?: string; info?: { total_token_usage: Usage; last_token_usage: Usage } | null } };
type Usage = { input_tokens: number; cached_input_tokens: number; output_tokens: number; reasoning_output_tokens: number; total_tokens: number };

let agent: FakeAgent | undefined;
afterEach(async () => {
  await agent?.dispose();
  agent = undefined;
});

function rolloutPath(home: string): string | undefined {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.endsWith('.jsonl')) found.push(join(dir, e));
      else walk(join(dir, e));
    }
  };
  walk(join(home, '.codex', 'sessions'));
  return found[0];
}

const ended = (path: string) => () => readJsonl(path).some((r) => (r as Rec).payload.type === 'agent_message');

describe('fake codex (interactive, in tmux)', () => {
  it('writes a rollout at the real path with cumulative token counts, and shows working then idle', async () => {
    agent = await startFakeAgent({ provider: 'codex', scenario: { turnDurationMs: 1500, toolCalls: 2 } });
    const path = await waitFor(() => rolloutPath(agent?.home ?? ''));
    const now = new Date();
    const ymd = [now.getFullYear(), String(now.getMonth() + 1).padStart(2, '0'), String(now.getDate()).padStart(2, '0')];
    expect(path).toMatch(new RegExp(`/\\.codex/sessions/${ymd.join('/')}/rollout-${ymd.join('-')}T\\d\\d-\\d\\d-\\d\\d-[0-9a-f-]{36}\\.jsonl$`));
    await agent.submit('look at src/reader.ts');
    expect(await agent.waitForScreen('esc to interrupt')).toMatch(/Working \(\d+s • esc to interrupt\)/);
    await waitFor(ended(path));
    await agent.waitForScreen(/^(?![\s\S]*esc to interrupt)[\s\S]*⏎ send/);
    const recs = readJsonl(path) as Rec[];
    const id = /([0-9a-f-]{36})\.jsonl$/.exec(path)?.[1];
    expect(recs[0]).toMatchObject({ type: 'session_meta', payload: { id, cwd: agent.cwd, cli_version: '0.46.0', source: 'cli', originator: 'codex_cli_rs', model_provider: 'openai' } });
    expect(recs.find((r) => r.type === 'turn_context')?.payload).toMatchObject({ cwd: agent.cwd, model: 'gpt-5-codex', approval_policy: 'on-request' });
    expect(recs.find((r) => r.payload.type === 'user_message')?.payload.message).toBe('look at src/reader.ts');
    for (const r of recs) expect(Number.isNaN(Date.parse(r.timestamp))).toBe(false);
    const calls = recs.filter((r) => r.payload.type === 'function_call');
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      const args = JSON.parse(String(c.payload.arguments)) as { command: string[] };
      expect(args.command.slice(0, 2)).toEqual(['bash', '-lc']);
      expect(recs.some((r) => r.payload.type === 'function_call_output' && r.payload.call_id === c.payload.call_id)).toBe(true);
    }
    expect(recs.some((r) => r.payload.type === 'reasoning')).toBe(true);
    expect(recs.some((r) => r.payload.type === 'agent_reasoning')).toBe(true);
    const counts = recs.filter((r) => r.payload.type === 'token_count' && r.payload.info);
    expect(counts).toHaveLength(3);
    let previous: Usage | undefined;
    for (const c of counts) {
      const { total_token_usage: total, last_token_usage: last } = c.payload.info as { total_token_usage: Usage; last_token_usage: Usage };
      expect(last.total_tokens).toBe(last.input_tokens + last.output_tokens);
      expect(last.cached_input_tokens).toBeLessThanOrEqual(last.input_tokens);
      expect(last.reasoning_output_tokens).toBeLessThanOrEqual(last.output_tokens);
      for (const k of Object.keys(last) as (keyof Usage)[]) expect(total[k]).toBe((previous?.[k] ?? 0) + last[k]);
      previous = total;
    }
    expect((counts[2]?.payload.info?.last_token_usage.cached_input_tokens ?? 0)).toBeGreaterThan(0);
    const lastMsg = recs.filter((r) => r.type === 'response_item' && r.payload.type === 'message').pop();
    expect(lastMsg?.payload).toMatchObject({ role: 'assistant', content: [{ type: 'output_text' }] });
  });

  it('asks for approval with "Allow command?" and continues after y + Enter', async () => {
    agent = await startFakeAgent({ provider: 'codex', scenario: { turnDurationMs: 200, toolCalls: 1, askPermission: true } });
    await agent.submit('run the tests');
    const screen = await agent.waitForScreen('Allow command?');
    expect(screen).toContain('1. Yes, proceed (y)');
    expect(screen).toContain('3. No, and tell Codex what to do differently (esc)');
    const path = rolloutPath(agent.home) ?? '';
    expect(ended(path)()).toBe(false);
    await agent.tmux.sendKeys(agent.name, 'y', 'Enter');
    await waitFor(ended(path));
  });

  it('records turn_aborted on Esc and keeps a pasted prompt byte-exact', async () => {
    agent = await startFakeAgent({ provider: 'codex', scenario: { hang: true } });
    const prompt = nastyPrompt();
    await agent.tmux.paste(agent.name, prompt);
    await agent.tmux.sendKeys(agent.name, 'Enter');
    await agent.waitForScreen('esc to interrupt');
    await agent.tmux.sendKeys(agent.name, 'Escape');
    const path = rolloutPath(agent.home) ?? '';
    await waitFor(() => readJsonl(path).some((r) => (r as Rec).payload.type === 'turn_aborted'));
    expect((readJsonl(path) as Rec[]).find((r) => r.payload.type === 'user_message')?.payload.message).toBe(prompt);
    await agent.waitForScreen('Conversation interrupted');
  });
});

import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startFakeAgent, type FakeAgent } from '../fake-agent.js';
import { claudeSubagentPath, claudeTranscriptPath } from '../paths.js';
import { waitFor } from '../wait-for.js';
import { nastyPrompt, readJsonl } from './__fixtures__/read-jsonl.js';

type Rec = Record<string, unknown> & { message?: Record<string, unknown> & { usage?: Record<string, number> } };

let agent: FakeAgent | undefined;
afterEach(async () => {
  await agent?.dispose();
  agent = undefined;
});

async function startClaude(scenario: Record<string, unknown>, extra: { args?: string[]; home?: string } = {}): Promise<{ agent: FakeAgent; sessionId: string; path: string }> {
  const sessionId = randomUUID();
  agent = await startFakeAgent({ provider: 'claude', args: ['--session-id', sessionId, ...(extra.args ?? [])], scenario, ...(extra.home ? { home: extra.home } : {}) });
  return { agent, sessionId, path: claudeTranscriptPath(join(agent.home, '.claude'), agent.cwd, sessionId) };
}

const turnEnded = (path: string) => () => readJsonl(path).some((r) => r.subtype === 'turn_duration');

describe('fake claude (interactive, in tmux)', () => {
  it('writes one turn in the real format at the real path and shows working, then idle', async () => {
    const { agent: a, sessionId, path } = await startClaude({ turnDurationMs: 1500, toolCalls: 2 });
    await a.submit('please check src/reader.ts');
    const working = await a.waitForScreen('esc to interrupt');
    expect(working).toMatch(/Thinking… \(\d+s · ↑ \d+ tokens · esc to interrupt\)/);
    await waitFor(turnEnded(path), { timeoutMs: 10_000 });
    const idle = await a.waitForScreen('? for shortcuts');
    expect(idle).not.toContain('esc to interrupt');

    const recs = readJsonl(path) as Rec[];
    const chained = recs.filter((r) => r.type !== 'queue-operation');
    expect(chained[0]).toMatchObject({ type: 'user', parentUuid: null, isSidechain: false, userType: 'external', cwd: a.cwd, sessionId, version: '2.0.14', message: { role: 'user', content: 'please check src/reader.ts' } });
    for (const [i, r] of chained.entries()) {
      expect(r.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(String(r.timestamp)))).toBe(false);
      expect(r).toHaveProperty('gitBranch');
      if (i > 0) expect(r.parentUuid).toBe(chained[i - 1]?.uuid);
    }
    const assistants = recs.filter((r) => r.type === 'assistant');
    const byId = new Map<string, Rec[]>();
    for (const r of assistants) byId.set(String(r.message?.id), [...(byId.get(String(r.message?.id)) ?? []), r]);
    expect(byId.size).toBe(3); // two tool calls + the answer
    let previousRead = -1;
    for (const group of byId.values()) {
      const last = group[group.length - 1];
      expect(new Set(group.map((r) => r.requestId)).size).toBe(1);
      expect(String(last?.requestId)).toMatch(/^req_/);
      for (const r of group) {
        expect(r.message?.content).toHaveLength(1);
        expect(r.message?.model).toBe('claude-sonnet-4-5-20250929');
        expect(r.message?.usage).toMatchObject({ service_tier: 'standard', cache_creation: { ephemeral_5m_input_tokens: expect.any(Number), ephemeral_1h_input_tokens: 0 } });
      }
      for (const early of group.slice(0, -1)) {
        expect(early.message?.stop_reason).toBeNull();
        expect(early.message?.usage?.output_tokens).toBeLessThan(last?.message?.usage?.output_tokens ?? 0);
      }
      expect(['tool_use', 'end_turn']).toContain(last?.message?.stop_reason);
      const read = last?.message?.usage?.cache_read_input_tokens ?? -1;
      expect(read).toBeGreaterThan(previousRead);
      previousRead = read;
    }
    const stops = [...byId.values()].map((g) => g[g.length - 1]?.message?.stop_reason);
    expect(stops).toEqual(['tool_use', 'tool_use', 'end_turn']);
    const results = recs.filter((r) => r.type === 'user' && Array.isArray(r.message?.content) && (r.message?.content as { type: string }[])[0]?.type === 'tool_result');
    expect(results).toHaveLength(2);
    for (const r of results) expect(r.toolUseResult).toBeDefined();
    const toolUses = assistants.flatMap((r) => (r.message?.content as { type: string; id?: string; name?: string }[]).filter((b) => b.type === 'tool_use'));
    expect(toolUses[0]).toMatchObject({ name: 'Read', input: { file_path: join(a.cwd, 'src/reader.ts') } });
    expect(results.map((r) => (r.message?.content as { tool_use_id: string }[])[0]?.tool_use_id)).toEqual(toolUses.map((t) => t.id));
    expect(recs[recs.length - 1]).toMatchObject({ type: 'system', subtype: 'turn_duration', durationMs: expect.any(Number) });
  });

  it('waits at a permission prompt with the real wording until answered with 1 + Enter', async () => {
    const { agent: a, path } = await startClaude({ turnDurationMs: 200, toolCalls: 1, askPermission: true });
    await a.submit('run the tests');
    const screen = await a.waitForScreen('Do you want to proceed?');
    expect(screen).toContain('❯ 1. Yes');
    expect(screen).toContain("2. Yes, and don't ask again for this command");
    expect(screen).toContain('3. No, and tell Claude what to do differently (esc)');
    const pending = readJsonl(path) as Rec[];
    expect(pending[pending.length - 1]?.message?.stop_reason).toBe('tool_use');
    expect(turnEnded(path)()).toBe(false);
    await a.tmux.sendText(a.name, '1');
    await a.tmux.sendKeys(a.name, 'Enter');
    await waitFor(turnEnded(path));
    const recs = readJsonl(path) as Rec[];
    expect(recs.some((r) => (r.message?.content as { type?: string; is_error?: boolean }[] | undefined)?.[0]?.type === 'tool_result')).toBe(true);
    await a.waitForScreen('? for shortcuts');
  });

  it('records a rejected permission (3 + Enter) as an interrupted tool use', async () => {
    const { agent: a, path } = await startClaude({ turnDurationMs: 200, toolCalls: 1, askPermission: true });
    await a.submit('run the tests');
    await a.waitForScreen('Do you want to proceed?');
    await a.tmux.sendText(a.name, '3');
    await a.tmux.sendKeys(a.name, 'Enter');
    await waitFor(() => readJsonl(path).some((r) => JSON.stringify(r).includes('[Request interrupted by user for tool use]')));
    const result = (readJsonl(path) as Rec[]).find((r) => (r.message?.content as { type?: string }[] | undefined)?.[0]?.type === 'tool_result');
    expect((result?.message?.content as { is_error: boolean }[])[0]?.is_error).toBe(true);
  });

  it('keeps a 10 KB bracketed paste byte-exact (newlines do not submit)', async () => {
    const { agent: a, path } = await startClaude({ turnDurationMs: 200, toolCalls: 0 });
    const prompt = nastyPrompt();
    await a.tmux.paste(a.name, prompt);
    await a.waitForScreen('[Pasted text +');
    expect(readJsonl(path)).toEqual([]);
    await a.tmux.sendKeys(a.name, 'Enter');
    const first = await waitFor(() => readJsonl(path)[0] as Rec | undefined);
    expect(first.message?.content).toBe(prompt);
  });

  it('keeps typed text byte-exact, including a trailing semicolon', async () => {
    const { agent: a, path } = await startClaude({ turnDurationMs: 200, toolCalls: 0 });
    const prompt = `say "hi" $(whoami) 'x' ; rm -rf ~; ünï ✓;`;
    await a.submit(prompt);
    const first = await waitFor(() => readJsonl(path)[0] as Rec | undefined);
    expect(first.message?.content).toBe(prompt);
  });

  it('Esc interrupts a running turn and records it like the real CLI', async () => {
    const { agent: a, path } = await startClaude({ hang: true });
    await a.submit('do something slow');
    await a.waitForScreen('esc to interrupt');
    await a.tmux.sendKeys(a.name, 'Escape');
    await waitFor(() => readJsonl(path).some((r) => JSON.stringify(r).includes('[Request interrupted by user]')));
    await a.waitForScreen('? for shortcuts');
    expect(await a.capture()).toContain('Interrupted');
  });

  it('queues text typed while working (queue-operation enqueue/dequeue) and submits it after the turn', async () => {
    const { agent: a, path } = await startClaude({ turns: [{ turnDurationMs: 3000, toolCalls: 1 }, { turnDurationMs: 100, toolCalls: 0 }] });
    await a.submit('first prompt');
    await a.waitForScreen('esc to interrupt');
    await a.submit('second prompt');
    await waitFor(() => readJsonl(path).filter((r) => r.subtype === 'turn_duration').length === 2, { timeoutMs: 15_000 });
    const recs = readJsonl(path) as Rec[];
    const ops = recs.filter((r) => r.type === 'queue-operation').map((r) => [r.operation, r.content]);
    expect(ops).toEqual([['enqueue', 'second prompt'], ['dequeue', undefined]]);
    const prompts = recs.filter((r) => r.type === 'user' && typeof r.message?.content === 'string').map((r) => r.message?.content);
    expect(prompts).toEqual(['first prompt', 'second prompt']);
  });

  it('writes a subagent transcript for a Task call', async () => {
    const { agent: a, sessionId, path } = await startClaude({ turnDurationMs: 300, toolCalls: 0, subagent: true });
    await a.submit('investigate the reader');
    await waitFor(turnEnded(path));
    const task = (readJsonl(path) as Rec[]).find((r) => r.type === 'user' && (r.toolUseResult as { agentId?: string } | undefined)?.agentId);
    const agentId = (task?.toolUseResult as { agentId: string }).agentId;
    const sub = readJsonl(claudeSubagentPath(join(a.home, '.claude'), a.cwd, sessionId, agentId));
    expect(sub.length).toBeGreaterThan(2);
    for (const r of sub) expect(r).toMatchObject({ isSidechain: true, agentId, sessionId });
  });

  it('writes an API error record for an error scenario', async () => {
    const { agent: a, path } = await startClaude({ turnDurationMs: 100, error: { kind: 'overloaded' } });
    await a.submit('hello');
    const err = await waitFor(() => readJsonl(path).find((r) => r.isApiErrorMessage === true) as Rec | undefined);
    expect(JSON.stringify(err.message?.content)).toContain('API Error: 529');
    expect(readJsonl(path).some((r) => r.type === 'system' && r.subtype === 'error')).toBe(true);
    await a.waitForScreen('overloaded_error');
  });

  it('fires hooks from settings.json with the documented payloads', async () => {
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'agentmux-hooks-')));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    const log = join(home, 'hooks.log');
    const hook = (name: string) => [{ hooks: [{ type: 'command', command: `cat >> ${log}; echo >> ${log}`, timeout: 5 }], ...(name.endsWith('ToolUse') ? { matcher: 'Bash|Read' } : {}) }];
    const events = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification', 'Stop', 'SessionEnd'];
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ hooks: Object.fromEntries(events.map((e) => [e, hook(e)])) }));
    const { agent: a, sessionId, path } = await startClaude({ turnDurationMs: 200, toolCalls: 1, askPermission: true, idleNotifyMs: 300 }, { home });
    await a.submit('run it');
    await a.waitForScreen('Do you want to proceed?');
    await a.tmux.sendKeys(a.name, '1', 'Enter');
    await waitFor(turnEnded(path));
    const read = () => readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    await waitFor(() => read().some((e) => e.notification_type === 'idle_prompt'));
    await a.tmux.sendKeys(a.name, 'C-c');
    await a.tmux.sendKeys(a.name, 'C-c');
    await waitFor(() => read().some((e) => e.hook_event_name === 'SessionEnd'));
    const got = read();
    expect(got.map((e) => e.hook_event_name)).toEqual(['SessionStart', 'UserPromptSubmit', 'Notification', 'PreToolUse', 'PostToolUse', 'Stop', 'Notification', 'SessionEnd']);
    for (const e of got) expect(e).toMatchObject({ session_id: sessionId, transcript_path: path, cwd: a.cwd, permission_mode: 'default' });
    expect(got[0]).toMatchObject({ source: 'startup', model: 'claude-sonnet-4-5-20250929' });
    expect(got[1]).toMatchObject({ prompt: 'run it' });
    expect(got[2]).toMatchObject({ notification_type: 'permission_prompt', message: expect.stringContaining('permission') });
    expect(got[3]).toMatchObject({ tool_name: 'Bash', tool_input: { command: expect.any(String) }, tool_use_id: expect.stringMatching(/^toolu_/) });
    expect(got[4]).toMatchObject({ tool_name: 'Bash', tool_response: expect.anything() });
    expect(got[5]).toMatchObject({ stop_hook_active: false, last_assistant_message: expect.any(String) });
    expect(got[7]).toMatchObject({ reason: 'prompt_input_exit' });
  });
});

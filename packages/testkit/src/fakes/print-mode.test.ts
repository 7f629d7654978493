import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeBinDir, fakeEnv } from '../env.js';
import { claudeTranscriptPath, geminiChatsDir } from '../paths.js';
import type { Scenario } from '../scenario.js';
import { readJsonl } from './__fixtures__/read-jsonl.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  home: string;
  cwd: string;
}

/** Runs a fake CLI without a terminal (argv array, no shell). */
function runFake(cli: 'claude' | 'codex' | 'gemini', args: string[], scenario?: Scenario | string, home?: string, clockStart?: string): Promise<Run> {
  const h = home ?? realpathSync(mkdtempSync(join(tmpdir(), 'agentmux-print-')));
  homes.push(h);
  const cwd = join(h, 'project');
  mkdirSync(cwd, { recursive: true });
  const env = fakeEnv({ home: h, ...(scenario !== undefined ? { scenario } : {}), ...(clockStart !== undefined ? { clockStart } : {}) });
  return new Promise((resolve) => {
    const child = execFile(join(fakeBinDir(), cli), args, { cwd, env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, home: h, cwd });
    });
    child.stdin?.end();
  });
}

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

const fast: Scenario = { turnDurationMs: 100, toolCalls: 1 };
const lines = (s: string) => s.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('fake claude -p', () => {
  it('prints the stream-json events and writes the transcript', async () => {
    const r = await runFake('claude', ['-p', 'fix src/a.ts', '--output-format', 'stream-json', '--verbose'], fast);
    expect(r.code).toBe(0);
    const events = lines(r.stdout);
    const init = events[0] as { type: string; subtype: string; session_id: string };
    expect(init).toMatchObject({ type: 'system', subtype: 'init', model: 'claude-sonnet-4-5-20250929', cwd: r.cwd });
    const result = events[events.length - 1] as Record<string, unknown>;
    expect(result).toMatchObject({ type: 'result', subtype: 'success', is_error: false, session_id: init.session_id, num_turns: 2 });
    expect(result.total_cost_usd).toBeGreaterThan(0);
    expect(result.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number), cache_read_input_tokens: expect.any(Number), cache_creation_input_tokens: expect.any(Number) });
    expect(events.filter((e) => e.type === 'assistant').length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.type === 'user')).toBe(true);
    const transcript = readJsonl(claudeTranscriptPath(join(r.home, '.claude'), r.cwd, init.session_id));
    expect(transcript[0]).toMatchObject({ type: 'user', message: { content: 'fix src/a.ts' } });
    expect(transcript.filter((t) => t.type === 'assistant')).toHaveLength(events.filter((e) => e.type === 'assistant').length);
  });

  it('prints one result object for json and the answer for text', async () => {
    const json = await runFake('claude', ['-p', 'hello', '--output-format', 'json'], { ...fast, answer: 'Hi there.' });
    expect(JSON.parse(json.stdout)).toMatchObject({ type: 'result', result: 'Hi there.', is_error: false });
    const text = await runFake('claude', ['--print', 'hello'], { ...fast, answer: 'Hi there.' });
    expect(text.stdout).toBe('Hi there.\n');
  });

  it('requires --verbose for stream-json, as the real CLI does', async () => {
    const r = await runFake('claude', ['-p', 'x', '--output-format', 'stream-json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('requires --verbose');
  });

  it('reports an API error as an error result with exit 1', async () => {
    const r = await runFake('claude', ['-p', 'x', '--output-format', 'json'], { turnDurationMs: 50, error: { kind: 'rate_limit' } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ is_error: true, result: expect.stringContaining('API Error: 429') });
  });

  it('crashes mid-turn with exit 1, leaving a dangling tool_use', async () => {
    const r = await runFake('claude', ['-p', 'x', '--session-id', '4f0b8a63-3a64-4e43-9d5b-111111111111'], { turnDurationMs: 50, toolCalls: 1, crashAfterTurns: 0, crashMode: 'mid-turn' });
    expect(r.code).toBe(1);
    const t = readJsonl(claudeTranscriptPath(join(r.home, '.claude'), r.cwd, '4f0b8a63-3a64-4e43-9d5b-111111111111'));
    expect((t[t.length - 1]?.message as { stop_reason?: string }).stop_reason).toBe('tool_use');
    expect(t.some((x) => x.subtype === 'turn_duration')).toBe(false);
  });

  it('resumes into the same file, and --fork-session copies history into a new session', async () => {
    const id = '0d6f3c1e-8a5b-4c2d-9e7f-222222222222';
    const first = await runFake('claude', ['-p', 'one', '--session-id', id], fast);
    const path = claudeTranscriptPath(join(first.home, '.claude'), first.cwd, id);
    const before = readJsonl(path);
    await runFake('claude', ['-p', 'two', '--resume', id], fast, first.home);
    const after = readJsonl(path);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after[before.length]).toMatchObject({ parentUuid: before[before.length - 1]?.uuid, message: { content: 'two' } });
    const fork = await runFake('claude', ['-p', 'three', '--resume', id, '--fork-session', '--output-format', 'json'], fast, first.home);
    const forkId = (JSON.parse(fork.stdout) as { session_id: string }).session_id;
    expect(forkId).not.toBe(id);
    const forked = readJsonl(claudeTranscriptPath(join(first.home, '.claude'), first.cwd, forkId));
    expect(forked.slice(0, after.length).map((r) => r.uuid)).toEqual(after.map((r) => r.uuid));
    expect(forked.every((r) => r.sessionId === undefined || r.sessionId === forkId)).toBe(true);
    expect(readJsonl(path)).toHaveLength(after.length);
  });
});

describe('fake claude hooks in -p mode', () => {
  it('honours a hook timeout and survives a failing hook (--settings as inline JSON)', async () => {
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'agentmux-hook-timeout-')));
    homes.push(home);
    const log = join(home, 'stop.log');
    const settings = JSON.stringify({
      hooks: {
        UserPromptSubmit: [{ hooks: [{ type: 'command', command: 'sleep 60', timeout: 1 }] }],
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'exit 3' }] }],
        Stop: [{ hooks: [{ type: 'command', command: `cat > ${log}` }] }],
      },
    });
    const r = await runFake('claude', ['-p', 'go', '--settings', settings], { turnDurationMs: 50, tools: [{ kind: 'shell', command: 'ls' }], answer: 'ok' }, home);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok\n');
    expect(JSON.parse(readFileSync(log, 'utf8'))).toMatchObject({ hook_event_name: 'Stop', last_assistant_message: 'ok', cwd: r.cwd });
  });
});

describe('fake codex exec --json', () => {
  it('prints thread/turn/item events with usage and writes an exec rollout', async () => {
    const r = await runFake('codex', ['exec', 'list the files', '--json'], fast);
    expect(r.code).toBe(0);
    const events = lines(r.stdout);
    expect(events.map((e) => e.type)).toEqual(['thread.started', 'turn.started', 'item.completed', 'item.started', 'item.completed', 'item.completed', 'turn.completed']);
    const threadId = events[0]?.thread_id as string;
    expect(events[6]).toMatchObject({ usage: { input_tokens: expect.any(Number), cached_input_tokens: expect.any(Number), output_tokens: expect.any(Number) } });
    expect(events[3]).toMatchObject({ item: { type: 'command_execution', status: 'in_progress' } });
    expect(events[5]).toMatchObject({ item: { type: 'agent_message', text: expect.any(String) } });
    const day = join(r.home, '.codex', 'sessions');
    const find = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? find(join(dir, e.name)) : [join(dir, e.name)]));
    const [file] = find(day);
    expect(file).toMatch(new RegExp(`${threadId}\\.jsonl$`));
    expect(readJsonl(file ?? '')[0]).toMatchObject({ type: 'session_meta', payload: { id: threadId, source: 'exec' } });
  });

  it('prints the version and rejects unknown flags like the real CLI', async () => {
    expect((await runFake('codex', ['--version'])).stdout).toBe('codex-cli 0.46.0\n');
    const bad = await runFake('codex', ['--bogus']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error: unexpected argument '--bogus' found");
  });
});

describe('fake gemini -p', () => {
  it('prints {response, stats} for json and writes the chat', async () => {
    const r = await runFake('gemini', ['-p', 'hello', '--output-format', 'json'], { ...fast, answer: 'Hello!' });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { response: string; stats: { models: Record<string, { tokens: Record<string, number> }> } };
    expect(out.response).toBe('Hello!');
    expect(out.stats.models['gemini-2.5-pro']?.tokens).toMatchObject({ prompt: expect.any(Number), candidates: expect.any(Number), total: expect.any(Number) });
    const dir = geminiChatsDir(join(r.home, '.gemini'), 'project');
    const [name] = readdirSync(dir);
    expect(readJsonl(join(dir, name ?? '')).some((m) => m.type === 'user' && m.content === 'hello')).toBe(true);
  });

  it('--resume latest appends to the same chat', async () => {
    const first = await runFake('gemini', ['-p', 'one'], fast);
    await runFake('gemini', ['-p', 'two', '--resume', 'latest'], fast, first.home);
    const dir = geminiChatsDir(join(first.home, '.gemini'), 'project');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const msgs = readJsonl(join(dir, files[0] ?? ''));
    expect(msgs.filter((m) => m.type === 'user').map((m) => m.content)).toEqual(['one', 'two']);
    expect(msgs.filter((m) => m.sessionId !== undefined)).toHaveLength(1);
    const bad = await runFake('gemini', ['-p', 'x', '--resume', '9'], fast, first.home);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Invalid session identifier');
  });

  it('prints stream-json events ending in a result', async () => {
    const r = await runFake('gemini', ['-p', 'hello', '-o', 'stream-json'], fast);
    const events = lines(r.stdout);
    expect(events[0]).toMatchObject({ type: 'init', session_id: expect.any(String), model: 'gemini-2.5-pro' });
    expect(events.map((e) => e.type)).toContain('tool_use');
    expect(events[events.length - 1]).toMatchObject({ type: 'result', status: 'success', stats: { total_tokens: expect.any(Number) } });
  });
});

describe('fake clock', () => {
  it('AGENTMUX_FAKE_CLOCK_START sets the timestamps and the Codex file name', async () => {
    const r = await runFake('codex', ['exec', 'x', '--json'], fast, undefined, '2030-01-02T03:04:05.000Z');
    const find = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? find(join(dir, e.name)) : [join(dir, e.name)]));
    const [file] = find(join(r.home, '.codex', 'sessions'));
    const first = readJsonl(file ?? '')[0] as { timestamp: string };
    expect(Date.parse(first.timestamp) - Date.parse('2030-01-02T03:04:05.000Z')).toBeGreaterThanOrEqual(0);
    expect(Date.parse(first.timestamp) - Date.parse('2030-01-02T03:04:05.000Z')).toBeLessThan(60_000);
    expect(file).toContain('/2030/01/0');
  });
});

describe('fake CLIs: flags and scenario validation', () => {
  it('print versions like the real CLIs', async () => {
    expect((await runFake('claude', ['--version'])).stdout).toBe('2.0.14 (Claude Code)\n');
    expect((await runFake('gemini', ['--version'])).stdout).toBe('0.9.0\n');
  });

  it('reject unknown flags with exit 1', async () => {
    const c = await runFake('claude', ['--nope']);
    expect([c.code, c.stderr.trim()]).toEqual([1, "error: unknown option '--nope'"]);
    const g = await runFake('gemini', ['--nope']);
    expect(g.code).toBe(1);
    expect(g.stderr).toContain('Unknown argument: nope');
  });

  it('exit 2 naming the field for a bad scenario file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentmux-bad-scenario-'));
    homes.push(dir);
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify({ turnDurationMs: 100, turns: [{ askPermission: 'yes' }] }));
    const r = await runFake('claude', ['-p', 'x'], file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('turns[0].askPermission');
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{"turnDurationMs": ');
    const g = await runFake('gemini', ['-p', 'x'], notJson);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain('not valid JSON');
  });
});

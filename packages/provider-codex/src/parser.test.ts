import { describe, expect, it } from 'vitest';
import { TranscriptDeltaSchema } from '@agentmux/core';
import { CodexTranscriptReader } from './parser.js';
import { fileFor, fixture, readOnce, sumUsage } from './test-helpers.test-util.js';

const MAIN = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('CodexTranscriptReader: a normal session', () => {
  it('returns a delta that satisfies the core schema', async () => {
    const reader = new CodexTranscriptReader(fileFor(fixture('basic-session.jsonl')));
    const delta = await reader.read();
    expect(() => TranscriptDeltaSchema.parse(delta)).not.toThrow();
    expect(delta.fromOffset).toBe(0);
    expect(reader.offset).toBe(delta.nextOffset);
  });

  it('normalises last_token_usage: input excludes cached, output holds reasoning, duplicates dropped', async () => {
    const r = await readOnce(fixture('basic-session.jsonl'));
    expect(r.usage.map((u) => [u.usage.input, u.usage.cacheRead, u.usage.output, u.usage.reasoning])).toEqual([
      [800, 200, 50, 20],
      [200, 1000, 30, 0],
      [100, 1200, 80, 10],
      [1000, 3000, 100, 40],
      [1000, 4000, 20, 0],
    ]);
    expect(sumUsage(r.usage)).toEqual({ input: 3100, output: 280, cacheRead: 9400, cacheWrite5m: 0, cacheWrite1h: 0, reasoning: 70, webSearchRequests: 0 });
    // input + cacheRead equals the last cumulative input_tokens (12 500): nothing lost, nothing doubled.
    expect(sumUsage(r.usage).input + sumUsage(r.usage).cacheRead).toBe(12_500);
    expect(r.usage.every((u) => u.dedupKey === undefined && u.sessionId === MAIN && u.providerId === 'codex' && u.cwd === '/home/dev/proj')).toBe(true);
    expect(r.usage.map((u) => u.model)).toEqual(['gpt-5-codex', 'gpt-5-codex', 'gpt-5-codex', 'gpt-5.1-codex', 'gpt-5.1-codex']);
    expect(r.usage.map((u) => u.turnIndex)).toEqual([0, 0, 0, 1, 2]);
    expect(r.skipped).toEqual({ 'token-count-no-info': 1, 'token-count-duplicate': 1, 'token-count-unchanged-total': 1, 'unknown-type': 1 });
    expect(r.unknownTypes).toEqual({ future_record_kind: 1, 'event_msg/brand_new_event': 1 });
  });

  it('reads session facts from the records', async () => {
    const r = await readOnce(fixture('basic-session.jsonl'));
    expect(r.session).toEqual({
      id: MAIN,
      cwd: '/home/dev/proj',
      models: ['gpt-5-codex', 'gpt-5.1-codex'],
      startedAt: '2026-11-20T10:00:00.000Z',
      lastActivityAt: '2026-11-20T10:00:35.000Z',
    });
  });

  it('assembles turns with tools, outcomes, text and per-turn usage', async () => {
    const { turns } = await readOnce(fixture('basic-session.jsonl'));
    expect(turns).toHaveLength(3);
    const [t0, t1, t2] = turns;
    expect(t0).toMatchObject({
      index: 0,
      sessionId: MAIN,
      startedAt: '2026-11-20T10:00:01.002Z',
      endedAt: '2026-11-20T10:00:07.100Z',
      userText: 'List the files',
      assistantText: 'There are two files: a.txt and b.txt.',
      model: 'gpt-5-codex',
      usage: { input: 1100, cacheRead: 2400, output: 160, reasoning: 30 },
    });
    expect(t0?.failed).toBeUndefined();
    expect(t0?.tools).toEqual([
      { id: 'call_1', name: 'shell', inputSummary: 'ls -la', startedAt: '2026-11-20T10:00:03.002Z', endedAt: '2026-11-20T10:00:03.500Z', outcome: 'ok' },
      {
        id: 'call_2',
        name: 'shell',
        inputSummary: 'cat missing.txt',
        startedAt: '2026-11-20T10:00:05.000Z',
        endedAt: '2026-11-20T10:00:05.400Z',
        outcome: 'error',
        errorMessage: 'exit code 1: cat: missing.txt: No such file or directory',
      },
    ]);
    expect(t1).toMatchObject({ index: 1, userText: 'Now summarise README.md', assistantText: 'README says hello.', model: 'gpt-5.1-codex', endedAt: '2026-11-20T10:00:22.200Z' });
    expect(t1?.usage).toMatchObject({ input: 1000, cacheRead: 3000, output: 100 });
    expect(t2).toMatchObject({ index: 2, userText: 'Deploy it', failed: true, endedAt: '2026-11-20T10:00:35.000Z' });
    expect(t2?.tools[0]).toMatchObject({ id: 'call_3', outcome: 'error', errorMessage: 'aborted (interrupted)' });
  });

  it('never puts secrets in tool summaries', async () => {
    const { turns } = await readOnce(fixture('basic-session.jsonl'));
    const summary = turns[2]?.tools[0]?.inputSummary ?? '';
    expect(summary).not.toContain('sk-abcdefghijklmnop123');
    expect(summary).not.toContain('hunter2secret');
    expect(summary).toContain('./deploy.sh');
    expect(summary).toContain('OPENAI_API_KEY=***');
  });

  it('emits status signals in file order, ending idle after an abort', async () => {
    const { signals } = await readOnce(fixture('basic-session.jsonl'));
    const rules = signals.map((s) => `${s.state}:${s.rule.replace('codex.transcript.', '')}`);
    expect(rules).toEqual([
      'working:user_message',
      'working:reasoning',
      'working:tool_call',
      'working:tool_output',
      'working:tool_call',
      'working:tool_output',
      'idle:turn_end',
      'working:user_message',
      'idle:turn_end',
      'idle:task_complete',
      'working:user_message',
      'working:tool_call',
      'idle:turn_aborted',
    ]);
  });
});

describe('CodexTranscriptReader: token accounting edge cases', () => {
  it('uses total − previous total when last_token_usage is missing, never below zero', async () => {
    const r = await readOnce(fixture('totals-only.jsonl'));
    expect(r.usage.map((u) => [u.usage.input, u.usage.cacheRead, u.usage.output, u.usage.reasoning])).toEqual([
      [100, 0, 10, 0],
      [100, 50, 20, 5],
      [140, 60, 30, 5],
    ]);
    expect(sumUsage(r.usage)).toMatchObject({ input: 340, cacheRead: 110, output: 60, reasoning: 10 });
    expect(r.skipped).toEqual({ 'token-count-no-info': 1, 'token-count-zero': 2, 'token-count-unchanged-total': 1 });
    expect(r.usage.every((u) => u.model === 'gpt-5')).toBe(true);
    expect(r.turns[0]?.endedAt).toBe('2026-11-20T11:00:07.500Z');
    expect(r.signals.at(-1)).toMatchObject({ state: 'idle', rule: 'codex.transcript.turn_end' });
  });

  it('skips a subagent replay of the parent history and bills the parent', async () => {
    const r = await readOnce(fixture('subagent-replay.jsonl'));
    expect(r.skipped['token-count-replay']).toBe(3);
    expect(r.usage.map((u) => [u.usage.input, u.usage.cacheRead, u.usage.output, u.usage.reasoning])).toEqual([
      [500, 3000, 120, 64],
      [200, 3500, 30, 0],
    ]);
    expect(r.usage.every((u) => u.sessionId === '0199c000-0000-7000-8000-0000000000aa' && u.sourceSessionId === '0199c000-0000-7000-8000-0000000000bb')).toBe(true);
    // The copied parent session_meta does not overwrite this thread's facts.
    expect(r.session).toMatchObject({ id: '0199c000-0000-7000-8000-0000000000bb', parentSessionId: '0199c000-0000-7000-8000-0000000000aa', cwd: '/work/repo', models: ['gpt-5.2-codex'] });
    expect(r.turns.at(-1)).toMatchObject({ userText: 'Scout the tests directory', assistantText: 'Tests live in tests/.', endedAt: '2026-11-20T12:00:05.000Z' });
  });

  it('skips replayed events stamped before the fork started (user fork, not billed to a parent)', async () => {
    const r = await readOnce(fixture('fork-preserved-timestamps.jsonl'));
    expect(r.skipped['token-count-replay']).toBe(2);
    expect(r.usage).toHaveLength(1);
    expect(r.usage[0]).toMatchObject({ sessionId: '0199d000-0000-7000-8000-0000000000ff', usage: { input: 500, cacheRead: 2000, output: 70 } });
    expect(r.usage[0]?.sourceSessionId).toBeUndefined();
    expect(r.session.parentSessionId).toBeUndefined();
    expect(r.session.startedAt).toBe('2026-11-20T13:00:10.000Z');
    expect(r.session.lastActivityAt).toBe('2026-11-20T13:00:25.000Z');
  });

  it('does not treat a plain session\'s first events as replay', async () => {
    const r = await readOnce(fixture('totals-only.jsonl'));
    expect(r.skipped['token-count-replay']).toBeUndefined();
  });
});

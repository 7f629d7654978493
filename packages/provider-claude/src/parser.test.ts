import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TranscriptDeltaSchema, type TranscriptFile } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { openClaudeTranscript } from './parser.js';
import { describeClaudeTranscriptPath } from './paths.js';
import { CLAUDE_TRANSCRIPT_RULES } from './status.js';
import { dedupeClaudeUsage, sumUsage } from './usage-dedup.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const SID = '11111111-1111-4111-8111-111111111111';
const mainFile: TranscriptFile = { ...describeClaudeTranscriptPath(fixture('main-session.jsonl')), sessionId: SID };

describe('ClaudeTranscriptReader on the hand-written main session', () => {
  it('parses every valid line and counts every hostile one', async () => {
    const reader = openClaudeTranscript(mainFile);
    const delta = await reader.read();
    expect(TranscriptDeltaSchema.parse(delta)).toEqual(delta);
    expect(delta.skipped).toEqual({
      'duplicate-uuid': 1,
      'invalid-json': 1,
      'unknown-type': 1,
      'invalid-utf8': 1,
      'invalid-assistant': 1,
      'not-an-object': 1,
      'missing-type': 1,
      'invalid-usage': 1,
    });
    expect(delta.unknownTypes).toEqual({ 'mystery-record': 1 });
  });

  it('leaves a torn last line for the next read', async () => {
    const bytes = readFileSync(mainFile.path);
    const size = bytes.length;
    const tornStart = bytes.lastIndexOf(10) + 1;
    const reader = openClaudeTranscript(mainFile);
    const delta = await reader.read();
    expect(delta.fromOffset).toBe(0);
    expect(delta.nextOffset).toBe(tornStart);
    expect(tornStart).toBeLessThan(size);
    expect(reader.offset).toBe(tornStart);
    const again = await reader.read();
    expect(again).toMatchObject({ fromOffset: tornStart, nextOffset: tornStart, turns: [], usage: [], signals: [] });
  });

  it('learns the session facts from the records', async () => {
    const delta = await openClaudeTranscript(mainFile).read();
    expect(delta.session).toEqual({
      id: SID,
      cwd: '/home/dev/my-app',
      models: ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-5-20251101'],
      startedAt: '2026-11-20T10:00:00.000Z',
      lastActivityAt: '2026-11-20T10:08:30.000Z',
    });
  });

  it('assembles turns: merged responses, tool spans, ends and failures', async () => {
    const { turns } = await openClaudeTranscript(mainFile).read();
    expect(turns.map((t) => t.index)).toEqual([0, 1, 2, 3]);
    const [t0, t1, t2, t3] = turns;
    expect(t0).toEqual({
      index: 0,
      sessionId: SID,
      startedAt: '2026-11-20T10:00:00.000Z',
      endedAt: '2026-11-20T10:00:12.500Z',
      userText: 'Fix the failing test',
      assistantText: "I'll run the tests.\nFixed: the test passes now.",
      tools: [
        {
          id: 'toolu_1',
          name: 'Bash',
          inputSummary: 'API_KEY=*** npm test',
          startedAt: '2026-11-20T10:00:02.000Z',
          endedAt: '2026-11-20T10:00:05.000Z',
          outcome: 'error',
          errorMessage: 'FAIL src/a.test.ts 1 test failed',
        },
        {
          id: 'toolu_2',
          name: 'Edit',
          inputSummary: '/home/dev/my-app/src/a.ts',
          startedAt: '2026-11-20T10:00:08.000Z',
          endedAt: '2026-11-20T10:00:09.000Z',
          outcome: 'ok',
        },
      ],
      usage: { input: 23, output: 370, cacheWrite5m: 1000, cacheWrite1h: 300, cacheRead: 2300, reasoning: 0, webSearchRequests: 2 },
      model: 'claude-sonnet-4-5-20250929',
    });
    expect(t1).toMatchObject({
      userText: 'Now add a changelog entry — über 日本 🎉',
      assistantText: 'Working on it.\nChecking.\nAdded the entry.',
      endedAt: '2026-11-20T10:05:10.000Z',
      tools: [],
      usage: { input: 123, output: 57, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 500, webSearchRequests: 0 },
    });
    expect(t1?.failed).toBeUndefined();
    expect(t2).toMatchObject({
      userText: '/deploy staging',
      endedAt: '2026-11-20T10:07:05.100Z',
      failed: true,
      model: 'claude-opus-4-5-20251101',
      tools: [{ id: 'toolu_3', name: 'Bash', inputSummary: 'make deploy', outcome: 'error' }],
      usage: { input: 4, output: 10, cacheWrite5m: 50, cacheWrite1h: 0, cacheRead: 0 },
    });
    expect(t3).toMatchObject({ userText: 'Try again', endedAt: '2026-11-20T10:08:30.000Z', failed: true });
    expect(t3?.usage).toMatchObject({ input: 0, output: 0 });
  });

  it('emits one usage record per assistant line with usage, keyed for max-total dedup', async () => {
    const { usage } = await openClaudeTranscript(mainFile).read();
    expect(usage.map((u) => u.dedupKey ?? null)).toEqual([
      'msg_A:req_A',
      'msg_A:req_A',
      'msg_A:req_A',
      'msg_B:req_B',
      'msg_C:req_C',
      null,
      'msg_S:req_S',
      'msg_C:req_C',
      'msg_E:req_E',
      'msg_G:req_G',
    ]);
    expect(usage.every((u) => u.sessionId === SID && u.providerId === 'claude' && u.cwd === '/home/dev/my-app')).toBe(true);
    expect(usage.filter((u) => u.dedupKey).every((u) => u.dedupPolicy === 'max-total')).toBe(true);
    expect(usage.filter((u) => u.isSidechain).map((u) => u.dedupKey)).toEqual(['msg_S:req_S', 'msg_C:req_C']);
    expect(usage.filter((u) => u.fast).map((u) => u.dedupKey)).toEqual(['msg_C:req_C']);
    expect(usage.find((u) => u.dedupKey === 'msg_E:req_E')?.costUSD).toBe(0.0123);
    expect(usage.find((u) => u.dedupKey === 'msg_B:req_B')?.usage).toEqual({
      input: 5, output: 200, cacheWrite5m: 0, cacheWrite1h: 300, cacheRead: 1000, reasoning: 0, webSearchRequests: 0,
    });
    expect(usage.map((u) => u.turnIndex)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 2]);
    const deduped = dedupeClaudeUsage(usage);
    expect(deduped).toHaveLength(7);
    expect(sumUsage(deduped)).toEqual({
      input: 150, output: 437, cacheWrite5m: 1050, cacheWrite1h: 300, cacheRead: 2800, reasoning: 0, webSearchRequests: 2,
    });
  });

  it('reads status signals from the records, in file order', async () => {
    const { signals } = await openClaudeTranscript(mainFile).read();
    expect(signals.map((s) => `${s.state} ${s.rule.replace('claude.transcript.', '')}`)).toEqual([
      'working user-prompt',
      'working assistant',
      'working assistant',
      'working tool_use',
      'working tool_result',
      'working tool_use',
      'working tool_result',
      'idle end_turn',
      'idle turn_duration',
      'working user-prompt',
      'working queued-prompt',
      'working assistant',
      'working assistant',
      'idle end_turn',
      'idle compact_boundary',
      'working user-prompt',
      'working tool_use',
      'working tool_result',
      'idle interrupted',
      'working user-prompt',
      'error api-error',
    ]);
    expect(signals.at(-1)?.detail).toContain('overloaded_error');
    expect(signals.find((s) => s.rule.endsWith('tool_use'))?.detail).toBe('Bash');
    expect(JSON.stringify(signals)).not.toContain('sk-abcdef');
  });

  it('only uses documented rules', async () => {
    const { signals } = await openClaudeTranscript(mainFile).read();
    for (const s of signals) {
      expect(Object.keys(CLAUDE_TRANSCRIPT_RULES)).toContain(s.rule);
      if (s.rule !== 'claude.transcript.compact_boundary') expect(s.state).toBe(CLAUDE_TRANSCRIPT_RULES[s.rule]);
    }
  });

  it('notes compactions', async () => {
    const reader = openClaudeTranscript(mainFile);
    await reader.read();
    expect(reader.compactions).toEqual([{ at: '2026-11-20T10:06:00.000Z', trigger: 'manual', preTokens: 45000 }]);
  });
});

describe('ClaudeTranscriptReader on an old transcript without requestId', () => {
  it('keys by message.id alone, keeps costUSD and prices unsplit cache writes as 5m', async () => {
    const file = describeClaudeTranscriptPath(fixture('no-request-id.jsonl'));
    const delta = await openClaudeTranscript(file).read();
    expect(delta.usage.map((u) => u.dedupKey)).toEqual(['msg_old1', 'msg_old1', 'msg_old2']);
    expect(delta.usage.map((u) => u.costUSD)).toEqual([0.01, 0.02, 0.003]);
    expect(sumUsage(dedupeClaudeUsage(delta.usage))).toEqual({
      input: 105, output: 65, cacheWrite5m: 2000, cacheWrite1h: 0, cacheRead: 2100, reasoning: 0, webSearchRequests: 0,
    });
    expect(delta.turns).toHaveLength(1);
    expect(delta.turns[0]).toMatchObject({
      userText: 'Summarise the README',
      assistantText: 'Reading.\nIt is an old app.',
      endedAt: '2026-11-20T08:00:04.000Z',
      usage: { input: 105, output: 65, cacheWrite5m: 2000, cacheRead: 2100 },
      tools: [{ name: 'Read', inputSummary: '/home/dev/old-app/README.md', outcome: 'ok' }],
    });
    expect(delta.signals.at(-1)).toMatchObject({ state: 'idle', rule: 'claude.transcript.end_turn' });
    expect(delta.skipped).toEqual({});
  });
});

describe('ClaudeTranscriptReader on a subagent file', () => {
  it('bills usage to the parent session and keeps the agent id as the source', async () => {
    const path = fixture(`config/projects/-home-dev-my-app/${SID}/subagents/agent-a1b2c3d4.jsonl`);
    const file = describeClaudeTranscriptPath(path);
    expect(file).toMatchObject({ kind: 'subagent', sessionId: 'a1b2c3d4', parentSessionId: SID });
    const delta = await openClaudeTranscript(file).read();
    expect(delta.session).toMatchObject({ id: 'a1b2c3d4', parentSessionId: SID, models: ['claude-haiku-4-5-20251001'] });
    expect(delta.usage).toHaveLength(2);
    expect(delta.usage.every((u) => u.sessionId === SID && u.sourceSessionId === 'a1b2c3d4' && u.isSidechain)).toBe(true);
    expect(delta.turns).toHaveLength(1);
    expect(delta.turns[0]).toMatchObject({
      sessionId: 'a1b2c3d4',
      userText: 'Search for CHANGELOG files',
      tools: [{ name: 'Glob', inputSummary: '**/CHANGELOG*', outcome: 'ok' }],
      usage: { input: 130, output: 35, cacheWrite5m: 500, cacheRead: 500 },
    });
    expect(delta.signals.at(-1)?.state).toBe('idle');
  });
});

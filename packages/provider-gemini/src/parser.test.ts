import { copyFile, mkdtemp, readFile, rm, writeFile, appendFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TranscriptDeltaSchema, type TranscriptFile } from '@agentmux/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldDeltas, sumUsage } from './__fixtures__/fold-deltas.js';
import { GeminiTranscriptReader } from './parser.js';

const FIX = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const CHATS = join(FIX, 'home/.gemini/tmp/demo-project/chats');
const MAIN = join(CHATS, 'session-2026-11-21T10-00-5b2c1a9e.jsonl');
const MAIN_ID = '5b2c1a9e-0f3d-4c1e-9a77-2f6e8d1b3c40';
const SUB_ID = '7d0e2f10-aaaa-4bbb-8ccc-ddddeeeeffff';

function fileOf(path: string, sessionId: string, extra: Partial<TranscriptFile> = {}): TranscriptFile {
  return { path, providerId: 'gemini', sessionId, kind: 'main', ...extra };
}

async function readAll(reader: GeminiTranscriptReader) {
  const delta = await reader.read();
  expect(TranscriptDeltaSchema.safeParse(delta).success).toBe(true);
  return delta;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gemini-parser-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('main session fixture', () => {
  it('normalises usage per message with exact token totals', async () => {
    const d = await readAll(new GeminiTranscriptReader(fileOf(MAIN, MAIN_ID)));
    expect(d.usage.map((u) => u.dedupKey)).toEqual(
      ['g1-0b7e', 'g2-51c3', 'g3-a1b2', 'g4-c3d4', 'g5-0a0b'].map((id) => `${MAIN_ID}:${id}`),
    );
    const g1 = d.usage[0];
    expect(g1?.usage).toEqual({ input: 400, output: 100, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 800, reasoning: 60, webSearchRequests: 0 });
    expect(d.usage[1]?.usage).toMatchObject({ input: 312, output: 25, cacheRead: 1200, reasoning: 0 });
    expect(sumUsage(d.usage)).toEqual({ input: 1612, output: 175, cacheRead: 7500, cacheWrite5m: 0, cacheWrite1h: 0, reasoning: 65, webSearchRequests: 0 });
    for (const u of d.usage) {
      expect(u).toMatchObject({ providerId: 'gemini', sessionId: MAIN_ID, dedupPolicy: 'last-wins', cwd: '/work/demo-project' });
      expect(u.sourceSessionId).toBeUndefined();
    }
    expect(d.usage.map((u) => u.turnIndex)).toEqual([0, 0, 1, 1, 2]);
    expect(d.usage.map((u) => u.model)).toEqual(['gemini-2.5-pro', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash', 'gemini-2.5-pro']);
    expect(d.retractedKeys).toEqual([]);
  });

  it('assembles turns with tools, outcomes and texts', async () => {
    const d = await readAll(new GeminiTranscriptReader(fileOf(MAIN, MAIN_ID)));
    expect(d.turns.map((t) => t.index)).toEqual([0, 1, 2]);
    const [t0, t1, t2] = d.turns;
    expect(t0).toMatchObject({
      sessionId: MAIN_ID,
      startedAt: '2026-11-21T10:00:05.000Z',
      endedAt: '2026-11-21T10:00:10.000Z',
      userText: 'List the files in src',
      assistantText: "I'll list the files.\nsrc has a.ts and b.ts.",
      model: 'gemini-2.5-pro',
      usage: { input: 712, output: 125, cacheRead: 2000, reasoning: 60 },
    });
    expect(t0?.failed).toBeUndefined();
    expect(t0?.tools).toEqual([
      { id: 'run_shell_command-1763719207500-1', name: 'run_shell_command', inputSummary: 'ls -la src', startedAt: '2026-11-21T10:00:07.500Z', outcome: 'ok' },
    ]);
    expect(t1).toMatchObject({ endedAt: '2026-11-21T10:01:04.000Z', model: 'gemini-2.5-flash', usage: { input: 600, output: 30, cacheRead: 3500 } });
    expect(t1?.tools[0]).toMatchObject({ name: 'read_file', outcome: 'error', errorMessage: 'File not found: /work/demo-project/.env', inputSummary: '/work/demo-project/.env' });
    expect(t2?.endedAt).toBeUndefined();
    expect(t2?.tools[0]).toMatchObject({ outcome: 'pending', inputSummary: 'API_TOKEN=*** npm test' });
    expect(t2?.userText).toBe('Run the tests with API_TOKEN=*** npm test');
    expect(JSON.stringify(d.turns)).not.toContain('abc123secret');
  });

  it('reports session facts and ends on a waiting-permission signal', async () => {
    const d = await readAll(new GeminiTranscriptReader(fileOf(MAIN, MAIN_ID)));
    expect(d.session).toEqual({
      id: MAIN_ID,
      cwd: '/work/demo-project',
      models: ['gemini-2.5-pro', 'gemini-2.5-flash'],
      startedAt: '2026-11-21T10:00:00.000Z',
      lastActivityAt: '2026-11-21T10:02:02.000Z',
    });
    expect(d.signals.map((s) => s.rule.replace('gemini.transcript.', ''))).toEqual([
      'user-prompt', 'end-of-turn', 'end-of-turn', 'tool-awaiting-approval', 'tool-executing', 'tool-result', 'end-of-turn',
      'user-prompt', 'tool-result', 'end-of-turn', 'user-prompt', 'tool-awaiting-approval',
    ]);
    expect(d.signals.at(-1)).toMatchObject({ state: 'waiting-permission', at: '2026-11-21T10:02:02.000Z' });
    expect(d.signals.at(-1)?.detail).not.toContain('abc123secret');
    expect(d.skipped).toEqual({});
    expect(d.unknownTypes).toEqual({});
  });

  it('returns an empty delta when nothing was appended, and resumes on append', async () => {
    const path = join(dir, 'session.jsonl');
    await copyFile(MAIN, path);
    const reader = new GeminiTranscriptReader(fileOf(path, MAIN_ID));
    const first = await reader.read();
    const size = (await readFile(path)).length;
    expect(first.nextOffset).toBe(size);
    const again = await reader.read();
    expect(again).toMatchObject({ fromOffset: size, nextOffset: size, usage: [], turns: [], signals: [], retractedKeys: [] });
    // the approval is granted and the tool runs: only the changed turn and the usage-free update come out
    const line = JSON.stringify({
      id: 'g5-0a0b', timestamp: '2026-11-21T10:02:02.000Z', type: 'gemini', content: '', model: 'gemini-2.5-pro',
      tokens: { input: 2300, output: 20, cached: 2000, thoughts: 0, tool: 0, total: 2320 },
      toolCalls: [{ id: 'run_shell_command-1763719322000-3', name: 'run_shell_command', args: { command: 'npm test' }, status: 'executing' }],
    });
    await appendFile(path, `${line}\n`);
    const third = await reader.read();
    expect(third.usage).toEqual([]);
    expect(third.turns.map((t) => t.index)).toEqual([2]);
    expect(third.signals.map((s) => s.state)).toEqual(['working']);
  });
});

describe('subagent and legacy files', () => {
  it('bills subagent usage to the parent session', async () => {
    const path = join(CHATS, MAIN_ID, `${SUB_ID}.jsonl`);
    const d = await readAll(new GeminiTranscriptReader(fileOf(path, SUB_ID, { kind: 'subagent', parentSessionId: MAIN_ID })));
    expect(d.usage).toHaveLength(1);
    expect(d.usage[0]).toMatchObject({
      sessionId: MAIN_ID,
      sourceSessionId: SUB_ID,
      dedupKey: `${SUB_ID}:sg1`,
      usage: { input: 500, output: 60, reasoning: 10, cacheRead: 0 },
      cwd: '/work/demo-project',
    });
    expect(d.session).toMatchObject({ id: SUB_ID, parentSessionId: MAIN_ID, cwd: '/work/demo-project' });
    expect(d.turns[0]?.sessionId).toBe(SUB_ID);
  });

  it('re-reads a rewritten legacy .json whole and retracts vanished messages', async () => {
    const legacyDir = join(FIX, 'home/.gemini/tmp/25f319ba4ffbaf5a46961555a70aacdaf526734526432d258d6181957902b3df/chats');
    const src = join(legacyDir, 'session-2025-08-01T09-30-0a1b2c3d.json');
    const id = '0a1b2c3d-1234-4567-89ab-cdef01234567';
    const first = await readAll(new GeminiTranscriptReader(fileOf(src, id)));
    expect(first.session.cwd).toBe('/work/legacy-project');
    expect(sumUsage(first.usage)).toMatchObject({ input: 900 + 500, output: 100 + 40, cacheRead: 600, reasoning: 20 });
    expect(first.turns.map((t) => [t.index, t.userText])).toEqual([[0, 'Explain main.py'], [1, 'And utils.py?']]);

    const path = join(dir, 'session-legacy.json');
    await copyFile(src, path);
    const reader = new GeminiTranscriptReader(fileOf(path, id), 12345);
    const a = await reader.read();
    expect(a.fromOffset).toBe(0);
    expect(a.usage).toHaveLength(2);
    expect(await reader.read()).toMatchObject({ usage: [], turns: [], retractedKeys: [] });
    // the CLI rewrites the file: the second exchange is gone, the first answer got more tokens, a new one came
    const obj = JSON.parse(await readFile(path, 'utf8')) as { messages: Array<Record<string, unknown>> };
    const [u1, g1] = obj.messages;
    obj.messages = [u1 as Record<string, unknown>, { ...g1, tokens: { input: 900, output: 90, cached: 0, thoughts: 20, tool: 0, total: 1010 } },
      { id: 'lu3', timestamp: '2025-08-01T09:35:00.000Z', type: 'user', content: 'Thanks' }];
    await writeFile(path, JSON.stringify(obj, null, 2));
    const b = await reader.read();
    expect(b.retractedKeys).toEqual([`${id}:lg2`]);
    expect(b.usage.map((u) => [u.dedupKey, u.usage.output])).toEqual([[`${id}:lg1`, 110]]);
    expect(b.turns.map((t) => [t.index, t.userText, t.usage.output])).toEqual([[0, 'Explain main.py', 110], [1, 'Thanks', 0]]);
    expect(b.nextOffset).toBe((await readFile(path)).length);
  });

  it('counts a half-written legacy file as invalid JSON and recovers on the next write', async () => {
    const path = join(dir, 'session-x.json');
    await writeFile(path, '{"sessionId":"x","messages":[{"id":"a"');
    const reader = new GeminiTranscriptReader(fileOf(path, 'x'));
    expect((await reader.read()).skipped).toEqual({ 'invalid-json': 1 });
    await writeFile(path, JSON.stringify({ sessionId: 'x', projectHash: 'h', messages: [{ id: 'a', type: 'user', content: 'hey', timestamp: '2026-01-01T00:00:00.000Z' }] }));
    const d = await reader.read();
    expect(d.skipped).toEqual({});
    expect(d.turns).toHaveLength(1);
  });
});

describe('hostile input', () => {
  const HID = 'c0ffee00-1111-4222-8333-444455556666';

  it('skips and counts bad lines without losing valid ones', async () => {
    const path = join(dir, 'hostile.jsonl');
    await copyFile(join(FIX, 'hostile.jsonl'), path);
    const reader = new GeminiTranscriptReader(fileOf(path, HID));
    const d = await readAll(reader);
    expect(d.skipped).toEqual({
      'invalid-json': 1,
      'invalid-utf8': 1,
      'missing-id': 2,
      'unrecognized-record': 1,
      'not-an-object': 2,
      'blank-line': 1,
      'invalid-message:tokens': 1,
      'invalid-rewind': 1,
    });
    expect(d.unknownTypes).toEqual({ tool_group: 1, $compress: 1 });
    expect(d.usage).toHaveLength(1);
    expect(d.usage[0]).toMatchObject({
      dedupKey: `${HID}:h-g1`,
      model: 'gemini-2.5-pro',
      timestamp: '2026-11-21T11:00:03.000Z',
      usage: { input: 200, output: 50, cacheRead: 100, reasoning: 5 },
    });
    expect(d.turns).toHaveLength(1);
    expect(d.turns[0]).toMatchObject({ userText: 'hello ✓ 日本', assistantText: 'Hi there — ünïcödé' });
    const bytes = await readFile(path);
    const tornStart = bytes.lastIndexOf('\n') + 1;
    expect(d.nextOffset).toBe(tornStart);
    expect(reader.offset).toBe(tornStart);

    // the torn line is completed: it is read exactly once, from its start
    await appendFile(path, ',"output":1,"cached":0,"total":11},"timestamp":"2026-11-21T11:00:05.000Z"}\n');
    const e = await readAll(reader);
    expect(e.fromOffset).toBe(tornStart);
    expect(e.skipped).toEqual({});
    expect(e.usage.map((u) => [u.dedupKey, u.usage.input, u.usage.output])).toEqual([[`${HID}:h-g3`, 10, 1]]);
  });

  it('skips a 10 MB line under the default cap as invalid JSON, and over a small cap as too-long without buffering', async () => {
    const path = join(dir, 'big.jsonl');
    const huge = `{"id":"big","type":"gemini","content":"${'x'.repeat(10 * 1024 * 1024)}"`; // unterminated object
    await writeFile(path, `${huge}\n${JSON.stringify({ id: 'ok', type: 'user', content: 'after', timestamp: '2026-01-01T00:00:00.000Z' })}\n`);
    const d = await readAll(new GeminiTranscriptReader(fileOf(path, 's')));
    expect(d.skipped).toEqual({ 'invalid-json': 1 });
    expect(d.turns[0]?.userText).toBe('after');
    const small = await readAll(new GeminiTranscriptReader(fileOf(path, 's'), 0, { maxLineBytes: 64 * 1024 }));
    expect(small.skipped).toEqual({ 'too-long': 1 });
    expect(small.turns[0]?.userText).toBe('after');
  });

  it('drops an over-long torn line once and keeps dropping its rest on the next read', async () => {
    const path = join(dir, 'long-torn.jsonl');
    await writeFile(path, `${JSON.stringify({ id: 'u', type: 'user', content: 'hi', timestamp: '2026-01-01T00:00:00.000Z' })}\n{"id":"x","content":"${'y'.repeat(5000)}`);
    const reader = new GeminiTranscriptReader(fileOf(path, 's'), 0, { maxLineBytes: 1024 });
    const a = await reader.read();
    expect(a.skipped).toEqual({ 'too-long': 1 });
    expect(a.nextOffset).toBe((await readFile(path)).length);
    await appendFile(path, `${'y'.repeat(3000)}"}\n${JSON.stringify({ id: 'g', type: 'gemini', content: 'yo', timestamp: '2026-01-01T00:00:01.000Z', tokens: { input: 3, output: 4, cached: 0 } })}\n`);
    const b = await reader.read();
    expect(b.skipped).toEqual({});
    expect(b.usage.map((u) => u.usage.output)).toEqual([4]);
  });

  it('treats a file that shrank as replaced: retracts everything and reads it again', async () => {
    const path = join(dir, 'replaced.jsonl');
    await copyFile(MAIN, path);
    const reader = new GeminiTranscriptReader(fileOf(path, MAIN_ID));
    await reader.read();
    const lines = (await readFile(path, 'utf8')).split('\n').slice(0, 9);
    await writeFile(path, `${lines.join('\n')}\n`);
    const d = await reader.read();
    expect(d.fromOffset).toBe(0);
    expect(d.usage.map((u) => u.dedupKey)).toEqual([`${MAIN_ID}:g1-0b7e`, `${MAIN_ID}:g2-51c3`]);
    expect(d.retractedKeys.sort()).toEqual([`${MAIN_ID}:g3-a1b2`, `${MAIN_ID}:g4-c3d4`, `${MAIN_ID}:g5-0a0b`]);
  });

  it('queues overlapping reads so each byte is consumed once', async () => {
    const path = join(dir, 'overlap.jsonl');
    await copyFile(MAIN, path);
    const reader = new GeminiTranscriptReader(fileOf(path, MAIN_ID));
    const [a, b] = await Promise.all([reader.read(), reader.read()]);
    expect(a.usage).toHaveLength(5);
    expect(b).toMatchObject({ fromOffset: a.nextOffset, usage: [], turns: [] });
  });

  it('reports a missing file as skipped instead of throwing', async () => {
    const d = await new GeminiTranscriptReader(fileOf(join(dir, 'nope.jsonl'), 's')).read();
    expect(d.skipped).toEqual({ 'missing-file': 1 });
    expect(d.nextOffset).toBe(0);
  });
});

describe('$rewindTo and $set.messages', () => {
  it('rewind drops the message and everything after it, retracting their usage', async () => {
    const path = join(dir, 'rewind.jsonl');
    const text = await readFile(join(FIX, 'rewind.jsonl'), 'utf8');
    const cut = text.indexOf('{"$rewindTo"');
    await writeFile(path, text.slice(0, cut));
    const reader = new GeminiTranscriptReader(fileOf(path, 'rewind00-1111-4222-8333-444455556666'));
    const a = await reader.read();
    expect(a.usage.map((u) => u.dedupKey?.split(':')[1])).toEqual(['r-g1', 'r-g2']);
    await appendFile(path, text.slice(cut));
    const b = await reader.read();
    expect(b.retractedKeys).toEqual(['rewind00-1111-4222-8333-444455556666:r-g2']);
    expect(b.usage.map((u) => [u.dedupKey?.split(':')[1], u.turnIndex])).toEqual([['r-g3', 1]]);
    expect(b.turns.map((t) => [t.index, t.userText])).toEqual([[0, 'first'], [1, 'second, edited']]);
    const all = foldDeltas([a, b]);
    expect(sumUsage(all.usage.values())).toMatchObject({ input: 400, output: 40 });
    expect(all.signalStates).toContain('idle');
  });

  it('a rewind to an unknown id drops every message, as the CLI loader does', async () => {
    const path = join(dir, 'rw.jsonl');
    const text = await readFile(join(FIX, 'rewind.jsonl'), 'utf8');
    await writeFile(path, `${text.split('\n').slice(0, 5).join('\n')}\n{"$rewindTo":"nope"}\n`);
    const d = await new GeminiTranscriptReader(fileOf(path, 'r')).read();
    expect(d.usage).toEqual([]);
    expect(d.turns).toEqual([]);
  });

  it('a $set.messages checkpoint replaces the list: dropped usage retracted, changed usage re-emitted', async () => {
    const path = join(dir, 'cp.jsonl');
    const text = await readFile(join(FIX, 'checkpoint.jsonl'), 'utf8');
    const cut = text.indexOf('{"$set"');
    const cut2 = text.indexOf('\n', cut) + 1;
    await writeFile(path, text.slice(0, cut));
    const reader = new GeminiTranscriptReader(fileOf(path, 'checkpt0-1111-4222-8333-444455556666'));
    const a = await reader.read();
    expect(a.usage).toHaveLength(3);
    await appendFile(path, text.slice(cut, cut2));
    const b = await reader.read();
    expect(b.retractedKeys.map((k) => k.split(':')[1])).toEqual(['c-g2']);
    expect(b.usage.map((u) => [u.dedupKey?.split(':')[1], u.usage])).toEqual([
      ['c-g1b', { input: 100, output: 25, cacheRead: 50, cacheWrite5m: 0, cacheWrite1h: 0, reasoning: 0, webSearchRequests: 0 }],
    ]);
    expect(b.turns.map((t) => t.index)).toEqual([0]);
    await appendFile(path, text.slice(cut2));
    const c = await reader.read();
    expect(c.turns.map((t) => [t.index, t.userText])).toEqual([[1, 'again']]);
    const all = foldDeltas([a, b, c]);
    expect(sumUsage(all.usage.values())).toMatchObject({ input: 600, output: 75, cacheRead: 50 });
    const single = foldDeltas([await new GeminiTranscriptReader(fileOf(path, 'checkpt0-1111-4222-8333-444455556666')).read()]);
    expect([...single.usage.entries()]).toEqual([...all.usage.entries()]);
  });
});

describe('turn closing', () => {
  it('re-emits an open turn when the next prompt closes it', async () => {
    const path = join(dir, 'open.jsonl');
    const meta = JSON.stringify({ sessionId: 'o', projectHash: 'h' });
    const u1 = JSON.stringify({ id: 'u1', type: 'user', content: 'go', timestamp: '2026-01-01T00:00:00.000Z' });
    const g1 = JSON.stringify({ id: 'g1', type: 'gemini', content: 'running', timestamp: '2026-01-01T00:00:01.000Z', toolCalls: [{ id: 'c', name: 'run_shell_command', args: { command: 'make' }, status: 'success' }] });
    await writeFile(path, `${meta}\n${u1}\n${g1}\n`);
    const reader = new GeminiTranscriptReader(fileOf(path, 'o'));
    const a = await reader.read();
    expect(a.turns.map((t) => [t.index, t.endedAt])).toEqual([[0, undefined]]);
    await appendFile(path, `${JSON.stringify({ id: 'u2', type: 'user', content: 'next', timestamp: '2026-01-01T00:01:00.000Z' })}\n`);
    const b = await reader.read();
    expect(b.turns.map((t) => [t.index, t.endedAt])).toEqual([[0, '2026-01-01T00:00:01.000Z'], [1, undefined]]);
  });

  it('a checkpoint that drops later turns re-emits the new last turn', async () => {
    const path = join(dir, 'cp-drop.jsonl');
    const msgs = [
      { id: 'u1', type: 'user', content: 'a', timestamp: '2026-01-01T00:00:00.000Z' },
      { id: 'g1', type: 'gemini', content: 'x', timestamp: '2026-01-01T00:00:01.000Z', toolCalls: [{ id: 'c', name: 'ls', args: {}, status: 'success' }] },
      { id: 'u2', type: 'user', content: 'b', timestamp: '2026-01-01T00:00:02.000Z' },
    ];
    await writeFile(path, `${[{ sessionId: 'c', projectHash: 'h' }, ...msgs].map((m) => JSON.stringify(m)).join('\n')}\n`);
    const reader = new GeminiTranscriptReader(fileOf(path, 'c'));
    expect((await reader.read()).turns.map((t) => [t.index, t.endedAt])).toEqual([[0, '2026-01-01T00:00:01.000Z'], [1, undefined]]);
    await appendFile(path, `${JSON.stringify({ $set: { messages: msgs.slice(0, 2) } })}\n`);
    expect((await reader.read()).turns.map((t) => [t.index, t.endedAt])).toEqual([[0, undefined]]);
  });

  it('a checkpoint that moves a message to another turn re-emits both turns', async () => {
    const path = join(dir, 'cp-move.jsonl');
    const msgs = [
      { id: 'u1', type: 'user', content: 'a', timestamp: '2026-01-01T00:00:00.000Z' },
      { id: 'i1', type: 'info', content: 'note', timestamp: '2026-01-01T00:00:01.000Z' },
      { id: 'g1', type: 'gemini', content: 'answer', timestamp: '2026-01-01T00:00:02.000Z', tokens: { input: 10, output: 5, cached: 0 } },
    ];
    await writeFile(path, `${[{ sessionId: 'm', projectHash: 'h' }, ...msgs].map((m) => JSON.stringify(m)).join('\n')}\n`);
    const reader = new GeminiTranscriptReader(fileOf(path, 'm'));
    await reader.read();
    const changed = [msgs[0], { ...msgs[1], type: 'user', content: 'b' }, msgs[2]];
    await appendFile(path, `${JSON.stringify({ $set: { messages: changed } })}\n`);
    const d = await reader.read();
    expect(d.turns.map((t) => [t.index, t.assistantText, t.usage.output])).toEqual([[0, '', 0], [1, 'answer', 5]]);
    expect(d.usage.map((u) => u.turnIndex)).toEqual([1]);
  });
});

describe('signals', () => {
  it('keeps only the freshest 256 signals of one read, the last being the latest record', async () => {
    const path = join(dir, 'many.jsonl');
    const lines = [JSON.stringify({ sessionId: 'm', projectHash: 'h' })];
    for (let i = 0; i < 400; i++) {
      lines.push(JSON.stringify({ id: `u${i}`, type: 'user', content: `q${i}`, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }));
    }
    lines.push(JSON.stringify({ id: 'g', type: 'gemini', content: 'done', timestamp: '2026-01-02T00:00:00.000Z' }));
    await writeFile(path, `${lines.join('\n')}\n`);
    const d = await new GeminiTranscriptReader(fileOf(path, 'm')).read();
    expect(d.signals).toHaveLength(256);
    expect(d.signals.at(-1)).toMatchObject({ state: 'idle', at: '2026-01-02T00:00:00.000Z' });
    expect(d.turns).toHaveLength(400);
  });
});

describe('opening mid-file', () => {
  it('restores state from the prefix without emitting it (turn numbering, usage already seen)', async () => {
    const bytes = await readFile(MAIN);
    const offset = bytes.indexOf('{"id":"u3-e5f6"');
    const reader = new GeminiTranscriptReader(fileOf(MAIN, MAIN_ID), offset);
    const d = await reader.read();
    expect(d.fromOffset).toBe(offset);
    expect(d.usage.map((u) => [u.dedupKey?.split(':')[1], u.turnIndex])).toEqual([['g5-0a0b', 2]]);
    expect(d.turns.map((t) => t.index)).toEqual([2]);
    expect(d.session.startedAt).toBe('2026-11-21T10:00:00.000Z');
  });

  it('with replayPrefix false reads only new bytes', async () => {
    const bytes = await readFile(MAIN);
    const offset = bytes.indexOf('{"id":"u3-e5f6"');
    const d = await new GeminiTranscriptReader(fileOf(MAIN, MAIN_ID), offset, { replayPrefix: false }).read();
    expect(d.turns.map((t) => t.index)).toEqual([0]);
    expect(d.usage).toHaveLength(1);
  });
});

describe('cwd resolution', () => {
  it('uses the .project_root marker of a slug folder', async () => {
    const chats = join(dir, '.gemini/tmp/other/chats');
    await mkdir(chats, { recursive: true });
    await writeFile(join(dir, '.gemini/tmp/other/.project_root'), '/srv/other\n');
    const path = join(chats, 'session-2026-01-01T00-00-aaaa0000.jsonl');
    await writeFile(path, `${JSON.stringify({ sessionId: 'aaaa0000', projectHash: 'x', startTime: '2026-01-01T00:00:00.000Z' })}\n`);
    expect((await new GeminiTranscriptReader(fileOf(path, 'aaaa0000')).read()).session.cwd).toBe('/srv/other');
  });
});

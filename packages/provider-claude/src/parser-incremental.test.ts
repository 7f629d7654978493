import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscriptDelta, TranscriptFile, Turn } from '@agentmux/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openClaudeTranscript } from './parser.js';

const SID = '11111111-1111-4111-8111-111111111111';
const source = readFileSync(fileURLToPath(new URL('./__fixtures__/main-session.jsonl', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'agentmux-claude-incr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function tempFile(initial: Buffer | string = ''): TranscriptFile {
  fileNo += 1;
  const path = join(dir, `${SID}-${fileNo}.jsonl`);
  writeFileSync(path, initial);
  return { path, providerId: 'claude', sessionId: SID, kind: 'main' };
}

interface Combined {
  turns: Turn[];
  usage: TranscriptDelta['usage'];
  signals: TranscriptDelta['signals'];
  skipped: Record<string, number>;
  unknownTypes: Record<string, number>;
  session: TranscriptDelta['session'] | undefined;
  nextOffset: number;
}

function combine(deltas: readonly TranscriptDelta[]): Combined {
  const turns = new Map<number, Turn>();
  const out: Combined = { turns: [], usage: [], signals: [], skipped: {}, unknownTypes: {}, session: undefined, nextOffset: 0 };
  for (const d of deltas) {
    for (const t of d.turns) turns.set(t.index, t);
    out.usage.push(...d.usage);
    out.signals.push(...d.signals);
    for (const [k, v] of Object.entries(d.skipped)) out.skipped[k] = (out.skipped[k] ?? 0) + v;
    for (const [k, v] of Object.entries(d.unknownTypes)) out.unknownTypes[k] = (out.unknownTypes[k] ?? 0) + v;
    out.session = d.session;
    out.nextOffset = d.nextOffset;
  }
  out.turns = [...turns.values()].sort((a, b) => a.index - b.index);
  return out;
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function feed(data: Buffer, cuts: readonly number[], options = {}): Promise<Combined> {
  const file = tempFile();
  const reader = openClaudeTranscript(file, 0, options);
  const deltas: TranscriptDelta[] = [];
  let last = 0;
  for (const cut of [...cuts, data.length]) {
    appendFileSync(file.path, data.subarray(last, cut));
    last = cut;
    const delta = await reader.read();
    expect(delta.nextOffset).toBeGreaterThanOrEqual(delta.fromOffset);
    deltas.push(delta);
  }
  return combine(deltas);
}

describe('incremental reading', () => {
  it('gives the same result for any byte split as for one read', async () => {
    const whole = await feed(source, []);
    expect(whole.turns).toHaveLength(4);
    const random = rng(42);
    for (let round = 0; round < 25; round += 1) {
      const cuts = [...new Set(Array.from({ length: 1 + Math.floor(random() * 30) }, () => Math.floor(random() * source.length)))]
        .sort((a, b) => a - b);
      expect(await feed(source, cuts)).toEqual(whole);
    }
  });

  it('splits inside multi-byte UTF-8 characters and mid-line without losing or repeating anything', async () => {
    const whole = await feed(source, []);
    const emoji = source.indexOf(Buffer.from('🎉'));
    const umlaut = source.indexOf(Buffer.from('ü'));
    expect(emoji).toBeGreaterThan(0);
    const cuts = [umlaut + 1, emoji + 1, emoji + 2, emoji + 3];
    const split = await feed(source, cuts);
    expect(split).toEqual(whole);
    expect(split.turns[1]?.userText).toBe('Now add a changelog entry — über 日本 🎉');
  });

  it('does not consume a complete-looking last line without a newline', async () => {
    const line = '{"type":"user","timestamp":"2026-11-20T10:00:00.000Z","uuid":"u1","message":{"role":"user","content":"hi"}}';
    const file = tempFile(line);
    const reader = openClaudeTranscript(file);
    const first = await reader.read();
    expect(first).toMatchObject({ nextOffset: 0, turns: [], signals: [] });
    appendFileSync(file.path, '\n');
    const second = await reader.read();
    expect(second.nextOffset).toBe(Buffer.byteLength(line) + 1);
    expect(second.turns.map((t) => t.userText)).toEqual(['hi']);
  });

  it('re-emits an earlier turn when a later read completes its tool span', async () => {
    const lines = source.toString('utf8').split('\n');
    const cutAfter = lines.findIndex((l) => l.includes('"toolu_1","name"')) + 1;
    const cut = Buffer.byteLength(lines.slice(0, cutAfter).join('\n') + '\n');
    const file = tempFile(source.subarray(0, cut));
    const reader = openClaudeTranscript(file);
    const first = await reader.read();
    expect(first.turns[0]?.tools).toMatchObject([{ id: 'toolu_1', outcome: 'pending' }]);
    expect(first.signals.at(-1)).toMatchObject({ state: 'working', rule: 'claude.transcript.tool_use' });
    appendFileSync(file.path, source.subarray(cut));
    const second = await reader.read();
    expect(second.turns[0]?.tools[0]).toMatchObject({ id: 'toolu_1', outcome: 'error' });
    expect(second.usage.some((u) => u.dedupKey === 'msg_A:req_A')).toBe(false);
  });
});

describe('over-long lines', () => {
  const big = (n: number) =>
    `{"type":"user","timestamp":"2026-11-20T10:00:00.000Z","uuid":"big","message":{"role":"user","content":"${'x'.repeat(n)}"}}\n`;
  const small = '{"type":"user","timestamp":"2026-11-20T10:01:00.000Z","uuid":"small","message":{"role":"user","content":"after"}}\n';

  it('skips a line over the cap without costing the next line, across any split', async () => {
    const data = Buffer.from(big(5000) + small);
    const whole = await feed(data, [], { maxLineBytes: 1000, readChunkBytes: 256 });
    expect(whole.skipped).toEqual({ 'too-long': 1 });
    expect(whole.turns.map((t) => t.userText)).toEqual(['after']);
    expect(whole.nextOffset).toBe(data.length);
    for (const cuts of [[10], [999], [1000], [1001], [3000], [5100], [100, 2000, 4000, 5135]]) {
      expect(await feed(data, cuts, { maxLineBytes: 1000, readChunkBytes: 256 })).toEqual(whole);
    }
  });

  it('consumes a torn over-long line so it is never buffered or read again', async () => {
    const file = tempFile(big(5000).slice(0, 3000));
    const reader = openClaudeTranscript(file, 0, { maxLineBytes: 1000 });
    const first = await reader.read();
    expect(first.skipped).toEqual({ 'too-long': 1 });
    expect(first.nextOffset).toBe(3000);
    appendFileSync(file.path, big(5000).slice(3000) + small);
    const second = await reader.read();
    expect(second.skipped).toEqual({});
    expect(second.turns.map((t) => t.userText)).toEqual(['after']);
  });

  it('parses a 10 MB line under the default cap and truncates its text', async () => {
    const file = tempFile(big(10 * 1024 * 1024) + small);
    const delta = await openClaudeTranscript(file).read();
    expect(delta.skipped).toEqual({});
    expect(delta.turns[0]?.userText.length).toBe(4096);
    expect(delta.turns[1]?.userText).toBe('after');
  });

  it('skips a 17 MiB line with the default 16 MiB cap', async () => {
    const file = tempFile(big(17 * 1024 * 1024) + small);
    const delta = await openClaudeTranscript(file).read();
    expect(delta.skipped).toEqual({ 'too-long': 1 });
    expect(delta.turns.map((t) => t.userText)).toEqual(['after']);
  });
});

describe('reader errors', () => {
  it('throws a NotFoundError for a missing file', async () => {
    const reader = openClaudeTranscript({ path: join(dir, 'gone.jsonl'), providerId: 'claude', sessionId: 'gone', kind: 'main' });
    await expect(reader.read()).rejects.toMatchObject({ code: 'AGENTMUX_NOT_FOUND' });
  });

  it('counts a file that shrank below the offset instead of reading garbage', async () => {
    const file = tempFile(source);
    const reader = openClaudeTranscript(file);
    await reader.read();
    writeFileSync(file.path, '');
    const delta = await reader.read();
    expect(delta.skipped).toEqual({ 'file-truncated': 1 });
    expect(delta.nextOffset).toBe(delta.fromOffset);
  });
});

describe('turn edge cases', () => {
  const line = (o: object) => `${JSON.stringify({ sessionId: SID, cwd: '/w', isSidechain: false, ...o })}\n`;
  const user = (uuid: string, ts: string, content: unknown) => line({ type: 'user', uuid, timestamp: ts, message: { role: 'user', content } });
  const asst = (uuid: string, ts: string, model: string, text: string, stop: string | null) =>
    line({ type: 'assistant', uuid, timestamp: ts, requestId: `req_${uuid}`, message: { id: `msg_${uuid}`, model, role: 'assistant', content: [{ type: 'text', text }], stop_reason: stop, usage: { input_tokens: 1, output_tokens: 2 } } });

  it('keeps an interrupted turn ended and failed when a synthetic line follows', async () => {
    const file = tempFile(
      user('u1', '2026-11-20T10:00:00.000Z', 'go') +
        asst('a1', '2026-11-20T10:00:01.000Z', 'claude-sonnet-4-5', 'working on', null) +
        user('u2', '2026-11-20T10:00:02.000Z', [{ type: 'text', text: '[Request interrupted by user]' }]) +
        asst('a2', '2026-11-20T10:00:03.000Z', '<synthetic>', 'No response requested.', 'stop_sequence'),
    );
    const delta = await openClaudeTranscript(file).read();
    expect(delta.turns).toMatchObject([{ endedAt: '2026-11-20T10:00:02.000Z', failed: true, model: 'claude-sonnet-4-5' }]);
    expect(delta.session.models).toEqual(['claude-sonnet-4-5']);
  });

  it('closes an unended turn at its last activity when the next prompt arrives, and reopens on new model output', async () => {
    const file = tempFile(
      user('u1', '2026-11-20T10:00:00.000Z', 'one') +
        asst('a1', '2026-11-20T10:00:01.000Z', 'claude-sonnet-4-5', 'partial', null) +
        user('u2', '2026-11-20T10:00:05.000Z', 'two') +
        asst('a2', '2026-11-20T10:00:06.000Z', 'claude-sonnet-4-5', 'done', 'end_turn') +
        asst('a3', '2026-11-20T10:00:07.000Z', 'claude-sonnet-4-5', 'more after a stop hook', null),
    );
    const delta = await openClaudeTranscript(file).read();
    expect(delta.turns.map((t) => [t.userText, t.endedAt ?? null])).toEqual([
      ['one', '2026-11-20T10:00:01.000Z'],
      ['two', null],
    ]);
    expect(delta.turns[1]?.assistantText).toBe('done\nmore after a stop hook');
  });

  it('starts an implicit turn for assistant output before any prompt (reader opened mid-file)', async () => {
    const file = tempFile(asst('a1', '2026-11-20T10:00:01.000Z', 'claude-sonnet-4-5', 'hello', 'end_turn'));
    const delta = await openClaudeTranscript(file).read();
    expect(delta.turns).toMatchObject([{ index: 0, userText: '', assistantText: 'hello', endedAt: '2026-11-20T10:00:01.000Z' }]);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TranscriptDelta } from '@agentmux/core';
import { CodexTranscriptReader } from './parser.js';
import { fileFor, fixture, mergeDeltas, readOnce, type Merged } from './test-helpers.test-util.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'codex-incr-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random split points (no flakiness across runs). */
function splits(length: number, count: number, seed: number): number[] {
  let x = seed;
  const points = new Set<number>();
  while (points.size < count) {
    x = (x * 1103515245 + 12345) % 2147483648;
    points.add(1 + (x % (length - 1)));
  }
  return [...points].sort((a, b) => a - b);
}

async function feedInPieces(bytes: Buffer, cuts: readonly number[]): Promise<{ merged: Merged; deltas: TranscriptDelta[] }> {
  const path = join(dir, `piecewise-${cuts.length}-${cuts[0] ?? 0}.jsonl`);
  writeFileSync(path, '');
  const reader = new CodexTranscriptReader(fileFor(path));
  const deltas: TranscriptDelta[] = [];
  let prev = 0;
  for (const cut of [...cuts, bytes.length]) {
    appendFileSync(path, bytes.subarray(prev, cut));
    prev = cut;
    deltas.push(await reader.read());
  }
  return { merged: mergeDeltas(deltas), deltas };
}

const comparable = (m: Merged) => ({ ...m, signals: m.signals, turns: m.turns });

describe('CodexTranscriptReader: incremental reads', () => {
  const names = ['basic-session.jsonl', 'totals-only.jsonl', 'subagent-replay.jsonl', 'fork-preserved-timestamps.jsonl', 'hostile.jsonl'];

  for (const name of names) {
    it(`gives the same result in arbitrary byte splits as in one read: ${name}`, async () => {
      const bytes = readFileSync(fixture(name));
      const whole = await readOnce(fixture(name));
      for (const seed of [1, 7, 42]) {
        const { merged } = await feedInPieces(bytes, splits(bytes.length, 25, seed));
        expect(comparable(merged)).toEqual(comparable(whole));
      }
    });
  }

  it('splits inside multi-byte UTF-8 characters without damage', async () => {
    const text = 'Ünïcödé ✓ 日本語 🚀 done';
    const content = Buffer.from(
      `${JSON.stringify({ timestamp: '2026-11-20T09:00:00Z', type: 'event_msg', payload: { type: 'user_message', message: text } })}\n`,
    );
    const cuts: number[] = [];
    for (let i = 1; i < content.length; i++) if ((content[i] as number) >= 0x80) cuts.push(i);
    const { merged } = await feedInPieces(content, cuts);
    expect(merged.turns[0]?.userText).toBe(text);
    expect(merged.skipped).toEqual({});
  });

  it('does not consume a torn last line and never re-reads consumed bytes', async () => {
    const bytes = readFileSync(fixture('basic-session.jsonl'));
    const firstNl = bytes.indexOf(0x0a);
    const cut = firstNl + 30; // inside the second line
    const path = join(dir, 'torn.jsonl');
    writeFileSync(path, bytes.subarray(0, cut));
    const reader = new CodexTranscriptReader(fileFor(path));
    const first = await reader.read();
    expect(first.nextOffset).toBe(firstNl + 1);
    expect(first.skipped).toEqual({});
    const again = await reader.read();
    expect(again.fromOffset).toBe(firstNl + 1);
    expect(again.nextOffset).toBe(firstNl + 1);
    expect(again.usage).toEqual([]);
    appendFileSync(path, bytes.subarray(cut));
    const rest = await reader.read();
    expect(rest.fromOffset).toBe(firstNl + 1);
    expect(rest.nextOffset).toBe(bytes.length);
    expect(rest.usage).toHaveLength(5);
  });

  it('resumes from a saved offset with a new reader', async () => {
    const bytes = readFileSync(fixture('totals-only.jsonl'));
    const path = join(dir, 'resume.jsonl');
    writeFileSync(path, bytes);
    const whole = await readOnce(path);
    // The third line ends before any token_count: a reader opened there sees every usage event.
    let offset = 0;
    for (let i = 0; i < 3; i++) offset = bytes.indexOf(0x0a, offset) + 1;
    const reader = new CodexTranscriptReader(fileFor(path, 'sid'), offset);
    const delta = await reader.read();
    expect(delta.fromOffset).toBe(offset);
    expect(delta.usage.map((u) => u.usage)).toEqual(whole.usage.map((u) => u.usage));
    expect(delta.usage.every((u) => u.sessionId === 'sid')).toBe(true);
  });

  it('reports only turns touched by each read', async () => {
    const bytes = readFileSync(fixture('basic-session.jsonl'));
    const text = bytes.toString('utf8');
    const cut = Buffer.byteLength(text.slice(0, text.indexOf('"Deploy it"')).slice(0, text.slice(0, text.indexOf('"Deploy it"')).lastIndexOf('\n') + 1));
    const { deltas } = await feedInPieces(bytes, [cut]);
    expect(deltas[0]?.turns.map((t) => t.index)).toEqual([0, 1]);
    expect(deltas[1]?.turns.map((t) => t.index)).toEqual([2]);
  });
});

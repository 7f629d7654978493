import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscriptDelta } from '@agentmux/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldDeltas, type Folded } from './__fixtures__/fold-deltas.js';
import { GeminiTranscriptReader } from './parser.js';

const FIX = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const FIXTURES = {
  main: join(FIX, 'home/.gemini/tmp/demo-project/chats/session-2026-11-21T10-00-5b2c1a9e.jsonl'),
  hostile: join(FIX, 'hostile.jsonl'),
  rewind: join(FIX, 'rewind.jsonl'),
  checkpoint: join(FIX, 'checkpoint.jsonl'),
  openTurns: join(FIX, 'open-turns.jsonl'),
};

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gemini-splits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `bytes` in pieces ending at `cuts`, reading after each piece; returns all deltas. */
async function readInPieces(bytes: Buffer, cuts: readonly number[]): Promise<TranscriptDelta[]> {
  const path = join(dir, `piece-${n++}.jsonl`);
  await writeFile(path, '');
  const reader = new GeminiTranscriptReader({ path, providerId: 'gemini', sessionId: 'split', kind: 'main' });
  const deltas: TranscriptDelta[] = [];
  let prev = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > prev) await appendFile(path, bytes.subarray(prev, cut));
    prev = Math.max(prev, cut);
    deltas.push(await reader.read());
  }
  return deltas;
}

function comparable(f: Folded) {
  return {
    usage: [...f.usage.entries()].sort(([a], [b]) => a.localeCompare(b)),
    turns: [...f.turns.entries()].sort(([a], [b]) => a - b),
    signals: f.signalStates,
    lastSignal: f.lastSignal,
    skipped: f.skipped,
    unknownTypes: f.unknownTypes,
    models: f.models,
    session: f.session,
    nextOffset: f.nextOffset,
  };
}

describe('byte splits give the same result as one read', () => {
  for (const [name, path] of Object.entries(FIXTURES)) {
    it(`${name}: 40 random split patterns`, async () => {
      const bytes = await readFile(path);
      const whole = comparable(foldDeltas(await readInPieces(bytes, [])));
      const next = rng(name.length * 7919);
      for (let round = 0; round < 40; round++) {
        const count = 1 + Math.floor(next() * 12);
        const cuts = Array.from({ length: count }, () => Math.floor(next() * bytes.length)).sort((a, b) => a - b);
        expect(comparable(foldDeltas(await readInPieces(bytes, cuts))), `cuts ${cuts.join(',')}`).toEqual(whole);
      }
    });
  }

  it('open-turns: a split at every line boundary', async () => {
    const bytes = await readFile(FIXTURES.openTurns);
    const whole = comparable(foldDeltas(await readInPieces(bytes, [])));
    const cuts = [...bytes.keys()].filter((i) => bytes[i - 1] === 0x0a);
    expect(comparable(foldDeltas(await readInPieces(bytes, cuts)))).toEqual(whole);
    const turns = whole.turns.map(([, t]) => [t.userText, t.endedAt !== undefined, t.failed ?? false]);
    expect(turns).toEqual([
      ['build it', true, false],
      ['stop and deploy', true, true],
      ['Request cancelled.', true, false],
      ['again', true, false],
      ['bye', false, false],
    ]);
  });

  it('hostile: a split at every single byte, including inside multi-byte UTF-8 characters', async () => {
    const bytes = await readFile(FIXTURES.hostile);
    const whole = comparable(foldDeltas(await readInPieces(bytes, [])));
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    const inside = cuts.filter((c) => ((bytes[c] ?? 0) & 0xc0) === 0x80);
    expect(inside.length).toBeGreaterThan(10);
    expect(comparable(foldDeltas(await readInPieces(bytes, cuts)))).toEqual(whole);
    // every piece that ends mid-line leaves nextOffset at that line's start
    const deltas = await readInPieces(bytes, inside);
    for (const d of deltas) expect(d.nextOffset === 0 || bytes[d.nextOffset - 1] === 0x0a).toBe(true);
  });
});

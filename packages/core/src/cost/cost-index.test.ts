import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProviderV1 } from '../spec/provider-v1.js';
import type { TranscriptDelta, TranscriptFile, TranscriptReaderV1, UsageRecord } from '../spec/transcript.js';
import { emptyUsage } from '../spec/usage.js';
import { createCostIndex, type CostUpdatedEvent } from './cost-index.js';

const dir = mkdtempSync(join(tmpdir(), 'agentmux-cost-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake provider: `<session>.jsonl` files of `{"t","m","in","out","k"}` lines; a reader that keeps its offset. */
function fakeProvider(root: string): ProviderV1 {
  const reader = (file: TranscriptFile, from: number): TranscriptReaderV1 => {
    let offset = from;
    return {
      file,
      get offset() {
        return offset;
      },
      async read(): Promise<TranscriptDelta> {
        const h = await open(file.path, 'r');
        try {
          const { size } = await h.stat();
          const buf = Buffer.alloc(Math.max(0, size - offset));
          await h.read(buf, 0, buf.length, offset);
          const text = buf.toString('utf8');
          const end = text.lastIndexOf('\n') + 1;
          const usage: UsageRecord[] = text.slice(0, end).split('\n').filter(Boolean).map((l) => {
            const o = JSON.parse(l) as { t: string; m: string; in: number; out: number; k?: string };
            return { timestamp: o.t, sessionId: file.sessionId, providerId: 'fake', model: o.m, usage: { ...emptyUsage(), input: o.in, output: o.out }, ...(o.k ? { dedupKey: o.k, dedupPolicy: 'max-total' as const } : {}) };
          });
          const fromOffset = offset;
          offset += Buffer.byteLength(text.slice(0, end));
          return { fromOffset, nextOffset: offset, session: { models: [] }, turns: [], usage, retractedKeys: [], signals: [], skipped: {}, unknownTypes: {} };
        } finally {
          await h.close();
        }
      },
    };
  };
  return {
    specificationVersion: 'v1', id: 'fake', displayName: 'Fake', binaryName: 'fake',
    findBinary: async () => null, matchProcess: () => null, matchSession: () => null, statusFromPane: () => null,
    buildSpawnCommand: () => ({ command: 'fake', args: [], env: {}, cwd: root }),
    transcriptRoots: () => [root],
    listTranscripts: async () => readdirSync(root).filter((n) => n.endsWith('.jsonl')).map((n) => ({ path: join(root, n), providerId: 'fake', sessionId: n.slice(0, -6), kind: 'main' as const })),
    openTranscript: (file, from = 0) => reader(file, from),
    prices: { asOf: '2026-01-01', source: 'test', models: {} },
  };
}

const line = (k: string, input: number, output = 0) => `${JSON.stringify({ t: '2026-03-01T10:00:00.000Z', m: 'claude-opus-4-5', in: input, out: output, k })}\n`;

function nextUpdate(index: ReturnType<typeof createCostIndex>, until: (e: CostUpdatedEvent) => boolean): Promise<CostUpdatedEvent> {
  return new Promise((resolve) => {
    const on = (e: CostUpdatedEvent): void => {
      if (!until(e)) return;
      index.off('cost-updated', on);
      resolve(e);
    };
    index.on('cost-updated', on);
  });
}

describe('createCostIndex', () => {
  it('indexes, follows appends, re-reads replaced or truncated files, finds new files', async () => {
    const root = join(dir, 'a');
    mkdirSync(root);
    writeFileSync(join(root, 's1.jsonl'), line('k1', 100) + line('k2', 10));
    writeFileSync(join(root, 's2.jsonl'), line('k3', 1));
    await using index = createCostIndex({ providers: [fakeProvider(root)], pollMs: 30, agentOf: (r) => (r.sessionId === 's1' ? 'alice' : undefined) });
    await index.ready;
    expect(index.snapshot().totals.usage.input).toBe(111);
    expect(index.snapshot().files).toBe(2);

    let update = nextUpdate(index, (e) => e.totals.usage.input === 1111);
    appendFileSync(join(root, 's1.jsonl'), line('k4', 1000));
    let e = await update;
    expect(e.sessions.map((s) => [s.key, s.usage.input])).toEqual([['s1', 1110]]);
    expect(e.agents.map((a) => [a.key, a.usage.input])).toEqual([['alice', 1110]]);
    expect(e.sessions[0]?.cost.usd).toBeCloseTo(1110 * 5e-6, 12);

    // A same-key record with a larger total replaces the old one (dedup across reads).
    update = nextUpdate(index, (ev) => ev.totals.usage.input === 1211);
    appendFileSync(join(root, 's1.jsonl'), line('k1', 200));
    await update;

    // Replaced (new inode) with less content: old records retracted, file read from 0.
    update = nextUpdate(index, (ev) => ev.totals.usage.input === 55556);
    writeFileSync(join(root, 's1.tmp'), line('k9', 55555));
    renameSync(join(root, 's1.tmp'), join(root, 's1.jsonl'));
    e = await update;
    expect(e.sessions.map((s) => [s.key, s.usage.input])).toEqual([['s1', 55555]]);

    // Truncated in place.
    update = nextUpdate(index, (ev) => ev.totals.usage.input === 8);
    writeFileSync(join(root, 's1.jsonl'), line('k8', 7));
    await update;

    // Rewritten in place with the same size (mtime changes): read again from 0.
    update = nextUpdate(index, (ev) => ev.totals.usage.input === 10);
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(join(root, 's1.jsonl'), line('k8', 9));
    await update;

    // A new file appears.
    update = nextUpdate(index, (ev) => ev.totals.usage.input === 60);
    writeFileSync(join(root, 's3.jsonl'), line('k7', 50));
    await update;
    expect(index.snapshot().files).toBe(3);
  });

  it('works by polling alone and stops when closed', async () => {
    const root = join(dir, 'b');
    mkdirSync(root);
    writeFileSync(join(root, 'p.jsonl'), line('a', 1));
    const index = createCostIndex({ providers: [fakeProvider(root)], pollMs: 20, watch: false });
    await index.ready;
    const update = nextUpdate(index, (ev) => ev.totals.usage.input === 3);
    appendFileSync(join(root, 'p.jsonl'), line('b', 2));
    await update;
    await index.close();
    let fired = false;
    index.on('cost-updated', () => (fired = true));
    appendFileSync(join(root, 'p.jsonl'), line('c', 4));
    await index.refresh().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toBe(false);
    expect(index.snapshot().totals.usage.input).toBe(3);
  });
});

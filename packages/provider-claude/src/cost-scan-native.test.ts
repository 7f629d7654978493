import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError, OneShotUsageDedup, UsageLedger, type TranscriptFile, type UsageRecord } from '@agentmux/core';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION, asst, base, hostileLines, writeLines } from './__fixtures__/claude-lines.js';
import { scanClaudeCostsNative, type ClaudeCostScanFile } from './cost-scan-native.js';
import { describeClaudeTranscriptPath } from './paths.js';
import { scanClaudeUsageCompact } from './usage-scan-compact.js';
import { nativeClaudeScanStatus } from './usage-scan-native.js';

const fixturesDir = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'agentmux-native-scan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const status = nativeClaudeScanStatus();

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.jsonl') ? [p] : [];
  });
}

/** What the TypeScript path of `agentmux costs` gives: per-file compact scans through core's OneShotUsageDedup. */
async function typescriptCounted(files: TranscriptFile[], options: { maxLineBytes?: number } = {}) {
  const added: UsageRecord[] = [];
  const ledger = new UsageLedger({ keepHistory: false });
  const real = ledger.addDeduplicated.bind(ledger);
  ledger.addDeduplicated = (records) => {
    added.push(...records);
    return real(records);
  };
  const dedup = new OneShotUsageDedup(ledger);
  const perFile: Array<Record<string, unknown>> = [];
  for (const file of files) {
    try {
      const r = await scanClaudeUsageCompact(file, options);
      dedup.add(r, file.path);
      perFile.push({ skipped: r.skipped, bytes: r.bytes, nextOffset: r.nextOffset });
    } catch (error) {
      perFile.push({ error: (error as Error).name });
    }
  }
  dedup.finish();
  return { added, perFile };
}

async function nativeCounted(files: TranscriptFile[], options: { threads?: number; maxLineBytes?: number; chunkBytes?: number } = {}) {
  const scan = await scanClaudeCostsNative(files, options);
  if (!scan) throw new Error(`native scan unavailable: ${status.reason}`);
  const added: UsageRecord[] = [];
  for (const batch of scan.batches()) added.push(...batch);
  const perFile = scan.files.map((f: ClaudeCostScanFile) => (f.ok ? { skipped: f.skipped, bytes: f.bytes, nextOffset: f.nextOffset } : { error: (f.error as Error).name }));
  return { added, perFile, scan };
}

describe('native Claude cost scan', () => {
  it.runIf(existsSync('/usr/include/simdjson.h'))('is built and loads where libsimdjson-dev is installed', () => {
    expect(status.reason ?? '').toBe('');
    expect(status).toMatchObject({ available: true, simdjsonVersion: expect.stringMatching(/^\d+\.\d+/) });
  });

  describe.skipIf(!status.available)('equals the TypeScript scan and core dedup', () => {
    it('on every recorded Claude fixture, one file at a time and all together, with 1 and 3 threads', async () => {
      const files = walk(fixturesDir).map((p) => describeClaudeTranscriptPath(p));
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) {
        const native = await nativeCounted([file]);
        expect(native, file.path).toEqual(expect.objectContaining(await typescriptCounted([file])));
      }
      const ts = await typescriptCounted(files);
      expect(ts.added.length).toBeGreaterThan(5);
      for (const threads of [1, 3]) {
        const native = await nativeCounted(files, { threads });
        expect(native.added).toEqual(ts.added);
        expect(native.perFile).toEqual(ts.perFile);
        expect(native.scan.files.filter((f) => f.ok && f.scanner === 'native').length).toBeGreaterThan(0);
      }
    });

    it('reads ugly but valid lines natively (escapes, duplicate keys, CRLF, exponents, 10 MB line, torn tail) at several chunk sizes', async () => {
      // Lines the native scan settles itself: everything in hostileLines() except the ones that make a file go
      // to the TypeScript scan (invalid JSON or usage, BOM, a root array, a bad costUSD or timestamp, and a lone
      // surrogate escape, which JSON.parse accepts and simdjson rejects).
      const handedBack = /"id":"m(9|10|11|14|15|19|21|23|24|25|26|34|35|37|40|42|43)"/;
      const lines = hostileLines().filter((l) => typeof l !== 'string' || (!handedBack.test(l) && !l.startsWith('\ufeff') && !l.startsWith('[')));
      const file = writeLines(tmp, `${SESSION}.jsonl`, lines);
      const ts = await typescriptCounted([file]);
      for (const chunkBytes of [16, 4096, undefined]) {
        const native = await nativeCounted([file], chunkBytes === undefined ? {} : { chunkBytes });
        expect(native.scan.files[0]).toMatchObject({ ok: true, scanner: 'native' });
        expect(native.added).toEqual(ts.added);
        expect(native.perFile).toEqual(ts.perFile);
      }
      expect(ts.added.length).toBeGreaterThan(20);
      const skipped = (ts.perFile[0] as { skipped: Record<string, number> }).skipped;
      expect(skipped['invalid-utf8']).toBe(1);
      expect(skipped['duplicate-uuid']).toBe(1);
      expect((ts.perFile[0] as { nextOffset: number }).nextOffset).toBeLessThan(statSync(file.path).size); // torn tail left
    });

    it('hands files it is not sure of to the TypeScript scan and still deduplicates across all files', async () => {
      const hostile = writeLines(tmp, '77777777-7777-4777-8777-777777777777.jsonl', hostileLines());
      const noCwd = JSON.parse(asst('c1', 5)) as Record<string, unknown>;
      delete noCwd['cwd'];
      const cwdLater = writeLines(tmp, '88888888-8888-4888-8888-888888888888.jsonl', [
        JSON.stringify({ ...base({ cwd: '/from/user' }), type: 'user', message: { role: 'user', content: 'go' }, uuid: 'u-c0', timestamp: '2026-11-20T09:59:00.000Z' }),
        JSON.stringify(noCwd),
      ], true);
      // A main-chain response in one file, replayed by a subagent (sidechain) with more tokens: the main copy wins.
      const main = writeLines(tmp, '99999999-9999-4999-8999-999999999999.jsonl', [asst('r1', 10), asst('r2', 20)], true);
      const subDir = join(tmp, 'projects', '-w-app', '99999999-9999-4999-8999-999999999999', 'subagents');
      mkdirSync(subDir, { recursive: true });
      writeFileSync(join(subDir, 'agent-x1.jsonl'), `${asst('r1', 99, { top: { isSidechain: true, agentId: 'x1' } })}\n${asst('r3', 5, { top: { isSidechain: true } })}\n`);
      const sub = describeClaudeTranscriptPath(join(subDir, 'agent-x1.jsonl'));
      const missing = { ...main, path: join(tmp, 'gone.jsonl') };
      const files = [hostile, cwdLater, main, sub, missing];
      const native = await nativeCounted(files, { threads: 2 });
      expect(native).toEqual(expect.objectContaining(await typescriptCounted(files)));
      expect(native.scan.files.map((f) => (f.ok ? f.scanner : 'error'))).toEqual(['typescript', 'typescript', 'native', 'native', 'error']);
      expect((native.scan.files[4] as { error: unknown }).error).toBeInstanceOf(NotFoundError);
      const r1 = native.added.filter((r) => r.dedupKey === 'r1:req_r1');
      expect(r1).toEqual([expect.objectContaining({ isSidechain: false, usage: expect.objectContaining({ output: 10 }) })]);
      expect(native.added.find((r) => r.dedupKey === 'r3:req_r3')).toMatchObject({ sessionId: '99999999-9999-4999-8999-999999999999', sourceSessionId: 'x1' });
    });

    it('skips lines over maxLineBytes like the TypeScript scan', async () => {
      const file = writeLines(tmp, 'aaaaaaaa-4444-4444-8444-444444444444.jsonl', [asst('t1', 1), asst('t2', 2, { content: [{ type: 'text', text: 'y'.repeat(5000) }] }), asst('t3', 3), 'z'.repeat(3000)]);
      const ts = await typescriptCounted([file], { maxLineBytes: 1000 });
      const native = await nativeCounted([file], { maxLineBytes: 1000, chunkBytes: 256 });
      expect(native.added).toEqual(ts.added);
      expect(native.perFile).toEqual(ts.perFile);
      expect(native.added.map((r) => r.usage.output)).toEqual([1, 3]);
    });

    it('hands out reused records, and records without keys when asked, with the same values', async () => {
      const files = walk(fixturesDir).map((p) => describeClaudeTranscriptPath(p));
      const fresh = (await nativeCounted(files)).added;
      const scan = await scanClaudeCostsNative(files);
      if (!scan) throw new Error('native scan unavailable');
      const seen: UsageRecord[] = [];
      let array: UsageRecord[] | undefined;
      for (const batch of scan.batches({ reuse: true, keys: false })) {
        if (array) expect(batch).toBe(array); // the same array, refilled
        array = batch;
        for (const r of batch) seen.push(JSON.parse(JSON.stringify(r)) as UsageRecord);
      }
      expect(seen).toEqual(fresh.map(({ dedupKey: _k, ...rest }) => rest));
    });

    it('reports progress and can be read once', async () => {
      const files = walk(fixturesDir).map((p) => describeClaudeTranscriptPath(p));
      const seen: number[] = [];
      const scan = await scanClaudeCostsNative(files, { onProgress: (n) => seen.push(n) });
      if (!scan) throw new Error('native scan unavailable');
      expect(seen.at(-1)).toBe(files.length);
      expect([...scan.batches()].flat().length).toBe(scan.unkeyed + scan.winners);
      expect(() => [...scan.batches()]).toThrow(/once/);
    });
  });
});

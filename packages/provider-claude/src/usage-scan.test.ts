import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscriptFile, UsageRecord } from '@agentmux/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ClaudeTranscriptReader, DEFAULT_MAX_LINE_BYTES } from './parser.js';
import { ClaudeTimestampSchema } from './schema.js';
import { describeClaudeTranscriptPath } from './paths.js';
import { SESSION, asst, base, hostileLines, writeLines } from './__fixtures__/claude-lines.js';
import { CLAUDE_TIMESTAMP_PATTERN, SCAN_MAX_LINE_BYTES, claudeUsageScanModule, scanClaudeUsage, scanClaudeUsageSync } from './usage-scan.js';
import { loadNativeClaudeScan, nativeClaudeScanStatus } from './usage-scan-native.js';

const fixturesDir = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'agentmux-usage-scan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.jsonl') ? [p] : [];
  });
}

const strip = (records: UsageRecord[]): UsageRecord[] =>
  records.map((r) => {
    const { turnIndex: _t, ...rest } = r;
    return rest;
  });

async function expectSameAsReader(file: TranscriptFile, options: { chunkBytes?: number; maxLineBytes?: number; native?: boolean } = {}) {
  const delta = await new ClaudeTranscriptReader(file, 0, { maxLineBytes: options.maxLineBytes, readChunkBytes: 4096 }).read();
  const scanned = await scanClaudeUsage(file, options);
  expect(scanned.records).toEqual(strip(delta.usage));
  expect(scanned.nextOffset).toBe(delta.nextOffset);
  return { delta, scanned };
}

describe('scanClaudeUsage equals the reader', () => {
  it('on every Claude fixture of the package, with the TypeScript and the native scan', async () => {
    const files = walk(fixturesDir);
    expect(files.length).toBeGreaterThan(3);
    for (const path of files) {
      for (const native of [false, true]) await expectSameAsReader(describeClaudeTranscriptPath(path), { native });
    }
  });

  it.skipIf(!nativeClaudeScanStatus().available)('reads natively what the native scan settles, and hands it the same offsets', async () => {
    const handedBack = /"id":"m(9|10|11|14|15|19|21|23|24|25|26|34|35|37|40|42|43)"/;
    const lines = hostileLines().filter((l) => typeof l !== 'string' || (!handedBack.test(l) && !l.startsWith('\ufeff') && !l.startsWith('[')));
    const file = writeLines(tmp, 'bbbbbbbb-3333-4333-8333-333333333333.jsonl', lines);
    const spy = vi.spyOn(loadNativeClaudeScan() as NonNullable<ReturnType<typeof loadNativeClaudeScan>>, 'scanFileSync');
    for (const chunkBytes of [16, 4096, undefined]) {
      const { scanned } = await expectSameAsReader(file, chunkBytes === undefined ? {} : { chunkBytes });
      expect(scanned.records.length).toBeGreaterThan(20);
    }
    const mid = Buffer.byteLength(lines.slice(0, 5).map((l) => (typeof l === 'string' ? l : l.toString('latin1'))).join('\n')) + 1;
    expect(scanClaudeUsageSync(file, { fromOffset: mid })).toEqual(scanClaudeUsageSync(file, { fromOffset: mid, native: false }));
    expect(spy.mock.results.every((r) => r.type === 'return' && (r.value as { bail?: string }).bail === undefined)).toBe(true);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it('on hostile lines, through the fast path (no whole-file fallback), at several chunk sizes', async () => {
    const file = writeLines(tmp, `${SESSION}.jsonl`, hostileLines());
    await scanClaudeUsage(file); // loads the slow path the hostile lines need
    expect(scanClaudeUsageSync(file)).not.toBeNull();
    for (const [chunkBytes, native] of [[16, false], [333, true], [65_536, false], [undefined, true]] as const) {
      const { scanned, delta } = await expectSameAsReader(file, { chunkBytes, native });
      expect(scanned.records.length).toBeGreaterThan(20);
      const keys = new Set(scanned.records.map((r) => r.dedupKey ?? 'none'));
      for (const k of ['m7', 'm8', 'm12', 'm13', 'm16', 'm17', 'm20', 'm22', 'm27', 'm34', 'm38', 'm44', 'm45', 'm46']) expect(keys.has(`${k}:req_${k}`), k).toBe(true);
      for (const k of ['m2', 'm4', 'm9', 'm14', 'm15', 'm18', 'm19', 'm21', 'm23', 'm24', 'm25', 'm26', 'm35', 'm37', 'm42', 'm43']) expect(keys.has(`${k}:req_${k}`), k).toBe(false);
      expect(scanned.records.find((r) => r.dedupKey === 'm5:req_m5')?.usage.output).toBe(8);
      expect(scanned.records.find((r) => r.dedupKey === 'm13:req_m13')?.costUSD).toBe(0.0123);
      for (const reason of ['invalid-usage', 'invalid-utf8', 'duplicate-uuid', 'invalid-assistant']) {
        expect(scanned.skipped[reason], reason).toBe(delta.skipped[reason]);
      }
      expect(scanned.skipped['invalid-json']).toBeGreaterThanOrEqual(4);
    }
  });

  it('skips lines over maxLineBytes like the reader, including a torn one at the end', async () => {
    const file = writeLines(tmp, '44444444-4444-4444-8444-444444444444.jsonl', [asst('t1', 1), asst('t2', 2, { content: [{ type: 'text', text: 'y'.repeat(5000) }] }), asst('t3', 3), 'z'.repeat(3000)]);
    const { scanned, delta } = await expectSameAsReader(file, { maxLineBytes: 1000, chunkBytes: 256 });
    expect(scanned.skipped['too-long']).toBe(2);
    expect(delta.skipped['too-long']).toBe(2);
    expect(scanned.records.map((r) => r.usage.output)).toEqual([1, 3]);
  });

  it('bills subagent files to the parent session and marks sidechain lines', async () => {
    const sub = join(tmp, 'projects', '-w-app', SESSION, 'subagents');
    mkdirSync(sub, { recursive: true });
    const path = join(sub, 'agent-abc.jsonl');
    writeFileSync(path, `${asst('s1', 5, { top: { isSidechain: true, agentId: 'abc' } })}\n`);
    const { scanned } = await expectSameAsReader(describeClaudeTranscriptPath(path));
    expect(scanned.records[0]).toMatchObject({ sessionId: SESSION, sourceSessionId: 'abc', isSidechain: true });
  });

  it('hands a file whose usage lines lack cwd to the reader (cwd from an earlier line)', async () => {
    const noCwd = JSON.parse(asst('c1', 5)) as Record<string, unknown>;
    delete noCwd['cwd'];
    const file = writeLines(tmp, '55555555-5555-4555-8555-555555555555.jsonl', [
      JSON.stringify({ ...base({ cwd: '/from/user' }), type: 'user', message: { role: 'user', content: 'go' }, uuid: 'u-c0', timestamp: '2026-11-20T09:59:00.000Z' }),
      JSON.stringify(noCwd),
    ], true);
    expect(scanClaudeUsageSync(file)).toBeNull();
    const { scanned } = await expectSameAsReader(file);
    expect(scanned.records[0]?.cwd).toBe('/from/user');
  });

  it('continues from an offset and reports a missing file with a typed error', async () => {
    const file = writeLines(tmp, '66666666-6666-4666-8666-666666666666.jsonl', [asst('o1', 1), asst('o2', 2)], true);
    const first = await scanClaudeUsage(file);
    const firstLineEnd = Buffer.byteLength(asst('o1', 1)) + 1;
    const tail = await scanClaudeUsage(file, { fromOffset: firstLineEnd });
    expect(tail.records.map((r) => r.dedupKey)).toEqual(['o2:req_o2']);
    expect(tail.nextOffset).toBe(first.nextOffset);
    await expect(scanClaudeUsage({ ...file, path: join(tmp, 'missing.jsonl') })).rejects.toThrow(/No transcript/);
  });

  it('keeps its copies of the reader constants equal to the reader', () => {
    expect(SCAN_MAX_LINE_BYTES).toBe(DEFAULT_MAX_LINE_BYTES);
    const zodPattern = (ClaudeTimestampSchema as unknown as { _zod: { def: { pattern: RegExp } } })._zod.def.pattern;
    expect(CLAUDE_TIMESTAMP_PATTERN.source).toBe(zodPattern.source);
    expect(claudeUsageScanModule).toEqual({ url: expect.stringMatching(/usage-scan\.ts$/), exportName: 'scanClaudeUsage' });
  });
});

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCompactUsage, UsageLedger, type UsageRecord } from '@agentmux/core';
import { generateCorpus } from '@agentmux/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { ClaudeTranscriptReader } from './parser.js';
import { describeClaudeTranscriptPath } from './paths.js';
import { claudeUsageScanCompactModule, encodeCompactUsage, keepPossibleWinners, scanClaudeUsageCompact } from './usage-scan-compact.js';
import { scanClaudeUsage } from './usage-scan.js';

const tmp = mkdtempSync(join(tmpdir(), 'agentmux-usage-compact-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? walk(p) : p.endsWith('.jsonl') ? [p] : [];
});

const rec = (key: string | undefined, output: number, extra: Partial<UsageRecord> = {}): UsageRecord => ({
  timestamp: '2026-03-01T10:00:00.000Z', sessionId: 's', providerId: 'claude', model: 'claude-sonnet-4-5', cwd: '/w',
  usage: { input: 1, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 },
  isSidechain: false, fast: false,
  ...(key === undefined ? {} : { dedupKey: key, dedupPolicy: 'max-total' as const }),
  ...extra,
});

describe('keepPossibleWinners', () => {
  it('keeps per key the best main-chain and the best sidechain record, in file order', () => {
    const rs = [
      rec('a', 1), rec('a', 9, { isSidechain: true }), rec('a', 5), rec(undefined, 1), rec('a', 5, { timestamp: '2026-03-01T09:00:00.000Z' }),
      rec('a', 3, { isSidechain: true }), rec('b', 2), rec('b', 2), rec(undefined, 1),
    ];
    expect(keepPossibleWinners(rs)).toEqual([rs[1], rs[3], rs[4], rs[6], rs[8]]);
  });
});

describe('scanClaudeUsageCompact', () => {
  it('decodes to the possible winners of the full scan, and a ledger counts the same as from the reader', async () => {
    const root = join(tmp, 'corpus');
    await generateCorpus({ provider: 'claude', root, sessions: 5, turnsPerSession: 6, seed: 3, targetBytes: 1_500_000, subagentEvery: 3, sidechainReplays: true, shape: 'realistic' });
    const fixtures = fileURLToPath(new URL('./__fixtures__', import.meta.url));
    const paths = [...walk(join(root, '.claude')), ...walk(fixtures)];
    expect(paths.some((p) => p.includes('/subagents/'))).toBe(true);
    const viaReader = new UsageLedger({ timeZone: 'UTC' });
    const viaCompact = new UsageLedger({ timeZone: 'UTC' });
    let dropped = 0;
    for (const path of paths) {
      const file = describeClaudeTranscriptPath(path);
      const full = await scanClaudeUsage(file);
      const compact = await scanClaudeUsageCompact(file);
      const decoded = compact.compact ? decodeCompactUsage(compact.compact) : compact.records;
      expect(decoded, path).toEqual(keepPossibleWinners(full.records));
      expect({ skipped: compact.skipped, nextOffset: compact.nextOffset }).toEqual({ skipped: full.skipped, nextOffset: full.nextOffset });
      dropped += full.records.length - decoded.length;
      viaReader.add((await new ClaudeTranscriptReader(file, 0).read()).usage, path);
      viaCompact.add(decoded, path);
    }
    expect(dropped).toBeGreaterThan(0); // streamed responses: several lines per key, one kept
    const bySession = (l: UsageLedger) => l.aggregate('session').map((a) => [a.key, a.usage, a.records]);
    expect(bySession(viaCompact)).toEqual(bySession(viaReader));
  });

  it('sends objects when records do not share one session, and names its worker module', () => {
    expect(encodeCompactUsage([rec('a', 1), rec('b', 1, { sessionId: 'other' })])).toBeNull();
    expect(encodeCompactUsage([])).toMatchObject({ count: 0 });
    expect(claudeUsageScanCompactModule).toEqual({ url: expect.stringMatching(/usage-scan-compact\.ts$/), exportName: 'scanClaudeUsageCompact' });
  });
});

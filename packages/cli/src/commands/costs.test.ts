import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../command.js';
import { main } from '../main.js';

const fx = fileURLToPath(new URL('./__fixtures__/costs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'agentmux-costs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const A = 'aaaaaaaa-1111-4111-8111-111111111111';
const B = 'bbbbbbbb-2222-4222-8222-222222222222';

async function run(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: CommandIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stderrIsTty: false,
    stdoutIsTty: false,
    env: { HOME: join(fx, 'empty-home'), CLAUDE_CONFIG_DIR: join(fx, 'claude'), CODEX_HOME: join(fx, 'empty-home', '.codex'), GEMINI_CLI_HOME: join(fx, 'empty-home'), TZ: 'UTC', ...env },
    cwd: fx,
  };
  const code = await main(['costs', ...args], io);
  return { code, out, err };
}

const SONNET = 10 * 3e-6 + 100 * 15e-6 + 600 * 3.75e-6 + 400 * 6e-6 + 5000 * 0.3e-6;
const HAIKU = 20 * 1e-6 + 30 * 5e-6;
const OPUS = 1000 * 5e-6 + 2000 * 25e-6;

describe('agentmux costs', () => {
  it('--json --by session: exact shape, subagent usage in its parent, replays dropped, unknown cost null', async () => {
    const { code, out } = await run(['--json', '--by', 'session']);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { rows: Array<Record<string, unknown>>; totals: Record<string, unknown>; skippedLines: number };
    expect(Object.keys(doc)).toEqual(['rows', 'totals', 'skippedLines']);
    expect(doc.rows).toEqual([
      { key: A, provider: 'claude', sessionId: A, project: '/w/app', models: ['claude-haiku-4-5', 'claude-sonnet-4-5-20250929', 'mystery-model-1'], inputTokens: 35, outputTokens: 180, cacheWriteTokens: 1000, cacheReadTokens: 5000, reasoningTokens: 0, costUSD: null, unpricedModels: ['mystery-model-1'] },
      { key: B, provider: 'claude', sessionId: B, project: '/w/other', models: ['claude-opus-4-5'], inputTokens: 1000, outputTokens: 2000, cacheWriteTokens: 0, cacheReadTokens: 0, reasoningTokens: 0, costUSD: expect.closeTo(OPUS, 12), unpricedModels: [] },
    ]);
    expect(doc.totals).toEqual({ inputTokens: 1035, outputTokens: 2180, cacheWriteTokens: 1000, cacheReadTokens: 5000, reasoningTokens: 0, costUSD: null });
    expect(doc.skippedLines).toBe(2); // a torn line and a line with invalid UTF-8
  });

  it('prints an aligned table with a totals row and a footnote for unknown costs', async () => {
    const { code, out } = await run(['--by', 'day']);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    const table = lines.slice(0, lines.indexOf(''));
    expect(table[0]).toMatch(/^Day\s+Provider\s+Models\s+Input\s+Output\s+Cache write\s+Cache read\s+Reasoning\s+Cost \(USD\)$/);
    expect(new Set(table.map((l) => l.length)).size).toBe(1); // every column aligned to the same width
    expect(table[2]).toMatch(/^2026-03-01\s+claude\s.*\s35\s+180\s+1,000\s+5,000\s+0\s+\?$/);
    expect(table[3]).toMatch(/^2026-03-02\s+claude\s+claude-opus-4-5\s+1,000\s+2,000\s+0\s+0\s+0\s+\$0\.06$/);
    expect(table.at(-1)).toMatch(/^Total\s+1,035\s+2,180\s+1,000\s+5,000\s+0\s+\?$/);
    expect(out).toContain('? cost unknown: no price for mystery-model-1');
    expect(out).toContain('2 unreadable line(s) skipped.');
  });

  it('groups days in the given time zone and filters by --since/--until', async () => {
    const tokyo = JSON.parse((await run(['--json', '--by', 'day', '--tz', 'Asia/Tokyo'])).out) as { rows: Array<{ key: string; outputTokens: number }> };
    expect(tokyo.rows.map((r) => [r.key, r.outputTokens])).toEqual([['2026-03-01', 130], ['2026-03-02', 2050]]);
    const since = JSON.parse((await run(['--json', '--by', 'session', '--since', '2026-03-02'])).out) as { rows: Array<{ key: string }> };
    expect(since.rows.map((r) => r.key)).toEqual([B]);
    const until = JSON.parse((await run(['--json', '--by', 'model', '--until', '2026-03-01'])).out) as { rows: Array<{ key: string }> };
    expect(until.rows.map((r) => r.key)).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5-20250929', 'mystery-model-1']);
  });

  it('prices with --prices and supports display mode and project grouping', async () => {
    const prices = join(tmp, 'prices.json');
    writeFileSync(prices, JSON.stringify({ asOf: '2026-03-01', source: 'test', models: { 'mystery-model-1': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 } } }));
    const priced = JSON.parse((await run(['--json', '--by', 'project', '--prices', prices])).out) as { rows: Array<{ key: string; costUSD: number }>; totals: { costUSD: number } };
    expect(priced.rows.map((r) => r.key)).toEqual(['/w/app', '/w/other']);
    expect(priced.rows[0]?.costUSD).toBeCloseTo(SONNET + HAIKU + 5e-6 + 100e-6, 12);
    expect(priced.totals.costUSD).toBeCloseTo(SONNET + HAIKU + 105e-6 + OPUS, 12);
    const display = JSON.parse((await run(['--json', '--mode', 'display'])).out) as { totals: { costUSD: number | null } };
    expect(display.totals.costUSD).toBeNull();
  });

  it('bad flags exit 2 with the usage; a bad price file exits 1 naming the field', async () => {
    for (const args of [['--by', 'week'], ['--tz', 'Mars/Base'], ['--bogus'], ['--since', 'yesterday'], ['--provider', 'cursor'], ['--since', '2026-02-30'], ['--workers', 'x']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('Usage: agentmux costs');
    }
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ asOf: '2026-03-01', source: 's', models: { m: { output_cost_per_token: -1 } } }));
    const r = await run(['--prices', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('models.m.output_cost_per_token');
  });

  it('draws progress on stderr only when asked or on a terminal, and filters providers', async () => {
    const quiet = await run(['--json']);
    expect(quiet.err).toBe('');
    const loud = await run(['--json', '--progress']);
    expect(loud.err).toContain('scanning transcripts: 3/3 files');
    const geminiOnly = JSON.parse((await run(['--json', '--provider', 'gemini'])).out) as { rows: unknown[]; totals: { costUSD: number } };
    expect(geminiOnly.rows).toEqual([]);
    expect(geminiOnly.totals.costUSD).toBe(0);
  });

  it('reads other providers through their readers (a Codex rollout: priced per model, reasoning shown)', async () => {
    const { code, out } = await run(['--json', '--by', 'model', '--provider', 'codex'], { CODEX_HOME: join(fx, 'codex-home') });
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { rows: Array<{ key: string; provider: string; inputTokens: number; outputTokens: number; cacheReadTokens: number; reasoningTokens: number; costUSD: number }>; skippedLines: number };
    expect(doc.rows.map((r) => [r.key, r.provider])).toEqual([['gpt-5-codex', 'codex'], ['gpt-5.1-codex', 'codex']]);
    for (const r of doc.rows) {
      expect(r.costUSD).toBeCloseTo(r.inputTokens * 1.25e-6 + r.cacheReadTokens * 0.125e-6 + r.outputTokens * 10e-6, 12);
      expect(r.reasoningTokens).toBeGreaterThan(0);
    }
    expect(doc.skippedLines).toBe(0); // repeated token counts and unknown event types are not unreadable lines
  });

  it('gives the stock Claude provider the compact worker scan and leaves other providers and scans alone', async () => {
    const { withUsageScan } = await import('./costs-pool-scan.js');
    const { claude, claudeUsageScanCompactModule } = await import('@agentmux/provider-claude');
    const { codex } = await import('@agentmux/provider-codex');
    const swapped = withUsageScan(claude);
    expect(swapped.usageScanModule).toEqual(claudeUsageScanCompactModule);
    // In-process too: the provider's own scan, reduced to the possible winners, in columns.
    const { describeClaudeTranscriptPath, keepPossibleWinners } = await import('@agentmux/provider-claude');
    const { decodeCompactUsage } = await import('@agentmux/core');
    const file = describeClaudeTranscriptPath(join(fx, 'claude', 'projects', '-w-app', `${A}.jsonl`));
    const compact = await swapped.scanUsage?.(file);
    const full = await claude.scanUsage?.(file);
    expect(compact?.records).toEqual([]);
    expect(compact?.compact && decodeCompactUsage(compact.compact)).toEqual(keepPossibleWinners(full?.records ?? []));
    expect((full?.records.length ?? 0)).toBeGreaterThan(compact?.compact?.count ?? 0);
    expect(withUsageScan(codex)).toBe(codex);
    const own = Object.assign(Object.create(claude) as typeof claude, { usageScanModule: { url: 'file:///x/own.js', exportName: 'scan' } });
    expect(withUsageScan(own)).toBe(own);
  });

  it('prints the same document with the native Claude scan as with the TypeScript scan (--workers 0)', async () => {
    const { nativeClaudeScanStatus } = await import('@agentmux/provider-claude');
    const env = { CODEX_HOME: join(fx, 'codex-home') };
    for (const by of ['session', 'model', 'day', 'project']) {
      const native = await run(['--json', '--by', by], env);
      const typescript = await run(['--json', '--by', by, '--workers', '0'], env);
      expect(native.code).toBe(0);
      expect(native.out).toBe(typescript.out);
      expect(JSON.parse(native.out).rows.length).toBeGreaterThan(1);
    }
    if (existsSync('/usr/include/simdjson.h')) expect(nativeClaudeScanStatus()).toMatchObject({ available: true });
  });

  it('counts only unreadable-line reasons as skipped lines', async () => {
    const { isUnreadableReason } = await import('./costs.js');
    expect(['invalid-json', 'invalid-utf8', 'too-long', 'not-an-object', 'invalid-usage', 'missing-type'].every(isUnreadableReason)).toBe(true);
    expect(['duplicate-uuid', 'unknown-type', 'token-count-duplicate', 'file-truncated', 'invalid-content-block'].some(isUnreadableReason)).toBe(false);
  });
});

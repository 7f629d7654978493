import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, PriceTableSchema, resolveModelPrice } from '@agentmux/core';
import { codex, createCodexProvider, CodexRolloutLineSchema } from './index.js';
import { fixture, mergeDeltas } from './test-helpers.test-util.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'codex-provider-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('createCodexProvider', () => {
  it('exposes the ProviderV1 identity and abilities; no telemetryEnv (Codex uses argv)', () => {
    expect(codex).toMatchObject({ specificationVersion: 'v1', id: 'codex', displayName: 'Codex CLI', binaryName: 'codex' });
    expect(typeof codex.buildResumeCommand).toBe('function');
    expect(typeof codex.buildForkCommand).toBe('function');
    expect(codex.telemetryEnv).toBeUndefined();
  });

  it('carries only OpenAI prices from the core table, resolvable for Codex model names', () => {
    expect(() => PriceTableSchema.parse(codex.prices)).not.toThrow();
    const names = Object.keys(codex.prices.models);
    expect(names).toContain('gpt-5-codex');
    expect(names.some((n) => n.startsWith('claude') || n.includes('gemini'))).toBe(false);
    expect(resolveModelPrice(codex.prices, 'gpt-5-codex')?.price.input_cost_per_token).toBeCloseTo(1.25e-6, 12);
    expect(resolveModelPrice(codex.prices, 'openai/gpt-5.1-codex')?.name).toBe('gpt-5.1-codex');
  });

  it('lists and reads rollouts under CODEX_HOME end to end', async () => {
    const dir = join(home, 'sessions', '2026', '11', '20');
    mkdirSync(dir, { recursive: true });
    copyFileSync(fixture('basic-session.jsonl'), join(dir, 'rollout-2026-11-20T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl'));
    const env = { HOME: '/nonexistent', CODEX_HOME: home };
    expect(codex.transcriptRoots({ env })).toEqual([home]);
    const files = await codex.listTranscripts({ env });
    expect(files).toHaveLength(1);
    const reader = codex.openTranscript(files[0]!);
    const merged = mergeDeltas([await reader.read()]);
    expect(merged.usage).toHaveLength(5);
    expect(reader.offset).toBe(readFileSync(files[0]!.path).length);
  });

  it('applies settings: configDirs, line cap, match window, binary path', async () => {
    const p = createCodexProvider({ configDirs: [home], maxLineBytes: 2048, sessionMatchWindowMs: 1000, binaryPath: '/opt/codex' });
    expect(p.transcriptRoots({ env: { CODEX_HOME: '/ignored' } })).toEqual([home]);
    expect(p.buildSpawnCommand({ cwd: '/w' }).command).toBe('/opt/codex');
    const match = { process: { pid: 1, ppid: 0, providerId: 'codex', argv: ['codex'], cwd: '/w', startedAt: '2026-11-20T10:00:00Z', childPids: [] } };
    expect(p.matchSession(match, [{ sessionId: 'a', cwd: '/w', startedAt: '2026-11-20T10:00:05Z', path: '/x' }])).toBeNull();
    const big = join(home, 'big.jsonl');
    writeFileSync(big, `${JSON.stringify({ timestamp: '2026-11-20T10:00:00Z', type: 'event_msg', payload: { type: 'agent_message', message: 'x'.repeat(4096) } })}\n`);
    const reader = p.openTranscript({ path: big, providerId: 'codex', sessionId: 's', kind: 'main' });
    expect((await reader.read()).skipped['too-long']).toBe(1);
  });

  it('rejects bad settings with an InvalidArgumentError naming the field', () => {
    let caught: unknown;
    try {
      createCodexProvider({ sessionMatchWindowMs: -5 });
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).field).toBe('codexProvider.sessionMatchWindowMs');
    expect(() => createCodexProvider({ configDirs: 'not-an-array' as unknown as string[] })).toThrow(/configDirs/);
  });
});

describe('schema.ts', () => {
  it('validates every well-formed line of the fixtures and rejects the unknown kinds', () => {
    for (const name of ['basic-session.jsonl', 'totals-only.jsonl', 'subagent-replay.jsonl', 'fork-preserved-timestamps.jsonl']) {
      const lines = readFileSync(fixture(name), 'utf8').split('\n').filter((l) => l.length > 0);
      const failures = lines.filter((l) => !CodexRolloutLineSchema.safeParse(JSON.parse(l)).success);
      expect(failures.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(name === 'basic-session.jsonl' ? ['future_record_kind'] : []);
    }
  });
});

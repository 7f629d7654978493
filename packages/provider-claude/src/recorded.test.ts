import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { totalTokens, type TranscriptFile, type Usage } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { openClaudeTranscript } from './parser.js';
import { listClaudeTranscripts } from './paths.js';
import { ClaudeLineSchema, ClaudeUsageSchema } from './schema.js';
import { dedupeClaudeUsage, sumUsage } from './usage-dedup.js';
import { normalizeClaudeUsage } from './usage-normalize.js';

/**
 * Transcripts recorded from the testkit fake CLI (`packages/testkit/bin/claude`, version 2.0.14): two `-p` runs
 * (one with a Task subagent, one ending in an overloaded API error) and one interactive tmux session of three turns
 * (a permission prompt, a queued prompt plus a subagent, an API error).
 */
const root = fileURLToPath(new URL('./__fixtures__/recorded/projects', import.meta.url));
const S1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const S3 = 'aaaaaaaa-0000-4000-8000-000000000003';

async function files(): Promise<TranscriptFile[]> {
  return listClaudeTranscripts([root]);
}

/** Reference dedup written straight from formats.md, independent of the reader. */
function referenceTotals(paths: readonly string[]): Usage {
  const best = new Map<string, { total: number; usage: Usage }>();
  const sum: Usage = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 };
  for (const path of paths) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      const rec = JSON.parse(line) as { type: string; requestId?: string; message?: { id?: string; usage?: unknown } };
      if (rec.type !== 'assistant' || !rec.message?.usage) continue;
      const u = ClaudeUsageSchema.parse(rec.message.usage);
      const usage: Usage = {
        input: u.input_tokens,
        output: u.output_tokens,
        cacheWrite5m: u.cache_creation?.ephemeral_5m_input_tokens ?? u.cache_creation_input_tokens ?? 0,
        cacheWrite1h: u.cache_creation?.ephemeral_1h_input_tokens ?? 0,
        cacheRead: u.cache_read_input_tokens ?? 0,
        reasoning: 0,
        webSearchRequests: u.server_tool_use?.web_search_requests ?? 0,
      };
      const key = `${rec.message.id}:${rec.requestId}`;
      const prev = best.get(key);
      if (!prev || totalTokens(usage) > prev.total) best.set(key, { total: totalTokens(usage), usage });
    }
  }
  for (const { usage } of best.values()) for (const k of Object.keys(sum) as (keyof Usage)[]) sum[k] += usage[k];
  return sum;
}

describe('recorded fake-CLI transcripts', () => {
  it('lists the three sessions and their two subagent files', async () => {
    const list = await files();
    expect(list.map((f) => [f.kind, f.sessionId, f.parentSessionId ?? null])).toEqual([
      ['main', S1, null],
      ['subagent', '28f96083', S1],
      ['main', 'aaaaaaaa-0000-4000-8000-000000000002', null],
      ['main', S3, null],
      ['subagent', '1162a457', S3],
    ]);
  });

  it('every line validates against the schema', async () => {
    for (const file of await files()) {
      for (const line of readFileSync(file.path, 'utf8').split('\n').filter((l) => l.length > 0)) {
        const result = ClaudeLineSchema.safeParse(JSON.parse(line));
        expect(result.success, `${file.path}: ${line.slice(0, 120)}`).toBe(true);
      }
    }
  });

  it('reads the interactive session: turns, tools, queue, error and exact deduplicated usage', async () => {
    const file = (await files()).find((f) => f.sessionId === S3)!;
    const delta = await openClaudeTranscript(file).read();
    expect(delta.skipped).toEqual({});
    expect(delta.unknownTypes).toEqual({});
    expect(delta.session).toMatchObject({ id: S3, cwd: '/tmp/claude-rec/work/app', models: ['claude-sonnet-4-5-20250929'] });
    expect(delta.turns.map((t) => [t.userText, t.tools.map((s) => `${s.name}:${s.outcome}`), t.failed ?? false, t.endedAt !== undefined])).toEqual([
      ['Rebuild the project', ['Bash:ok'], false, true],
      ['Find the config loader', ['Bash:ok', 'Task:ok'], false, true],
      ['also check tests', [], true, true],
    ]);
    expect(delta.turns[0]?.tools[0]?.inputSummary).toBe('rm -rf build && make');
    expect(delta.signals.filter((s) => s.rule === 'claude.transcript.queued-prompt')).toHaveLength(1);
    expect(delta.signals.at(-1)).toMatchObject({ state: 'error', rule: 'claude.transcript.api-error' });
    const turnSum = delta.turns.reduce((acc, t) => acc + totalTokens(t.usage), 0);
    const expected = referenceTotals([file.path]);
    expect(sumUsage(dedupeClaudeUsage(delta.usage))).toEqual(expected);
    expect(turnSum).toBe(totalTokens(expected));
    expect(expected.output).toBeGreaterThan(0);
  });

  it('bills subagent usage to the parent session', async () => {
    const list = await files();
    const sub = list.find((f) => f.sessionId === '28f96083')!;
    const delta = await openClaudeTranscript(sub).read();
    expect(delta.usage.length).toBeGreaterThan(0);
    expect(delta.usage.every((u) => u.sessionId === S1 && u.sourceSessionId === '28f96083' && u.isSidechain === true)).toBe(true);
    expect(delta.turns).toHaveLength(1);
    expect(delta.signals.at(-1)?.state).toBe('idle');
    expect(sumUsage(dedupeClaudeUsage(delta.usage))).toEqual(referenceTotals([sub.path]));
  });

  it('reads the -p run that ended in an API error without billing the synthetic message', async () => {
    const file = (await files()).find((f) => f.sessionId === 'aaaaaaaa-0000-4000-8000-000000000002')!;
    const delta = await openClaudeTranscript(file).read();
    expect(delta.usage).toEqual([]);
    expect(delta.session.models).toEqual([]);
    expect(delta.turns).toMatchObject([{ userText: 'Refactor the parser', failed: true }]);
    expect(delta.signals.map((s) => s.rule)).toEqual([
      'claude.transcript.user-prompt',
      'claude.transcript.system-error',
      'claude.transcript.api-error',
    ]);
  });

  it('normalises every recorded usage object', async () => {
    for (const file of await files()) {
      for (const line of readFileSync(file.path, 'utf8').split('\n').filter((l) => l.includes('"usage"'))) {
        const usage = (JSON.parse(line) as { message: { usage: unknown } }).message.usage;
        expect(normalizeClaudeUsage(usage)).not.toBeNull();
      }
    }
  });
});

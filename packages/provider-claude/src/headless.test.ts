import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { HeadlessEvent } from '@agentmux/core';
import { createClaudeHeadlessParser } from './headless.js';

const FAKE_CLAUDE = fileURLToPath(new URL('../../testkit/bin/claude', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'amx-claude-headless-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function feed(lines: string[], prompt?: string): HeadlessEvent[] {
  const parser = createClaudeHeadlessParser(prompt === undefined ? {} : { prompt });
  return [...lines.flatMap((l) => parser.push(l)), ...parser.end()];
}

describe('claude headless parser', () => {
  it('turns a real-like stream-json run into session, turn, tool and usage events', async () => {
    const { stdout } = await execa(FAKE_CLAUDE, ['-p', 'fix the bug; $(rm -rf ~)', '--output-format', 'stream-json', '--verbose'], {
      cwd: dir, env: { CLAUDE_CONFIG_DIR: join(dir, 'cfg'), HOME: dir, AGENTMUX_FAKE_SCENARIO: '' },
    });
    const lines = stdout.split('\n');
    const events = feed(lines);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('session-started');
    expect(types[1]).toBe('turn-started');
    expect(types[types.length - 1]).toBe('turn-ended');
    const result = JSON.parse(lines[lines.length - 1] ?? '{}') as { session_id: string; total_cost_usd: number; usage: { output_tokens: number } };
    const ended = events[events.length - 1] as Extract<HeadlessEvent, { type: 'turn-ended' }>;
    expect(ended.turn.sessionId).toBe(result.session_id);
    expect(ended.turn.userText).toBe('fix the bug; $(rm -rf ~)');
    expect(ended.costUsd).toBeCloseTo(result.total_cost_usd, 10);
    // Usage deduplicated per message id equals what the CLI itself totals.
    expect(ended.turn.usage.output).toBe(result.usage.output_tokens);
    const started = events.filter((e) => e.type === 'tool-started');
    const finished = events.filter((e) => e.type === 'tool-ended');
    expect(started.length).toBe(finished.length);
    expect(ended.turn.tools.every((t) => t.outcome !== 'pending')).toBe(true);
  });

  it('counts bad lines and never throws', () => {
    const parser = createClaudeHeadlessParser();
    expect(parser.push('not json')).toEqual([]);
    expect(parser.push('[1,2]')).toEqual([]);
    expect(parser.push('{"type":"mystery","session_id":"s"}').map((e) => e.type)).toEqual(['session-started']);
    expect(parser.skipped).toEqual({ 'invalid-json': 1, 'not-an-object': 1, 'unknown-type': 1 });
  });

  it('ends a run without a result line as a failed turn', () => {
    const events = feed(['{"type":"system","subtype":"init","session_id":"s1","model":"m"}'], 'hi');
    expect(events.map((e) => e.type)).toEqual(['session-started', 'turn-started', 'error', 'turn-ended']);
    const ended = events[3] as Extract<HeadlessEvent, { type: 'turn-ended' }>;
    expect(ended.turn).toMatchObject({ failed: true, userText: 'hi', sessionId: 's1' });
  });

  it('marks an error result as a failed turn', () => {
    const events = feed([
      '{"type":"system","subtype":"init","session_id":"s2"}',
      '{"type":"result","subtype":"error_during_execution","is_error":true,"session_id":"s2","total_cost_usd":0}',
    ]);
    expect(events.find((e) => e.type === 'error')).toBeDefined();
    expect((events[events.length - 1] as Extract<HeadlessEvent, { type: 'turn-ended' }>).turn.failed).toBe(true);
  });
});

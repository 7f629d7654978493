import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TurnSchema, type HeadlessEvent } from '@agentmux/core';
import { createCodexHeadlessParser, unwrapShellCommand } from './headless.js';
import { codex } from './index.js';
import { fixture, readOnce, sumUsage } from './test-helpers.test-util.js';

function run(lines: readonly string[], options: { prompt?: string; model?: string } = {}) {
  const parser = createCodexHeadlessParser(options);
  const events: HeadlessEvent[] = [];
  for (const line of lines) events.push(...parser.push(line));
  events.push(...parser.end());
  return { events, skipped: parser.skipped };
}
const recorded = (name: string) => readFileSync(fixture(name), 'utf8').split('\n');

describe('createCodexHeadlessParser (codex exec --json)', () => {
  it('follows a recorded run: session, turn, tools (ok and failed), usage, end', () => {
    const { events, skipped } = run(recorded('recorded/exec-tools.stdout.jsonl'), { prompt: 'Check the workspace files', model: 'gpt-5-codex' });
    expect(skipped).toEqual({});
    expect(events.map((e) => e.type)).toEqual(['session-started', 'turn-started', 'tool-started', 'tool-ended', 'tool-started', 'tool-ended', 'usage', 'turn-ended']);
    const started = events[0] as Extract<HeadlessEvent, { type: 'session-started' }>;
    expect(started.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const ended = events.filter((e): e is Extract<HeadlessEvent, { type: 'tool-ended' }> => e.type === 'tool-ended').map((e) => [e.tool.inputSummary, e.tool.outcome]);
    expect(ended).toEqual([
      ['ls -la', 'ok'],
      ['cat missing.txt', 'error'],
    ]);
    const turn = (events.at(-1) as Extract<HeadlessEvent, { type: 'turn-ended' }>).turn;
    expect(() => TurnSchema.parse(turn)).not.toThrow();
    expect(turn).toMatchObject({ index: 0, sessionId: started.sessionId, userText: 'Check the workspace files', assistantText: 'Done.', model: 'gpt-5-codex' });
    expect(turn.failed).toBeUndefined();
  });

  it('reports the same usage as the rollout written by the same run', async () => {
    const { events } = run(recorded('recorded/exec-tools.stdout.jsonl'));
    const usage = events.filter((e): e is Extract<HeadlessEvent, { type: 'usage' }> => e.type === 'usage').map((e) => e.record.usage);
    const fromRollout = sumUsage((await readOnce(fixture('recorded/exec-tools.stdout-rollout.jsonl'))).usage);
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({ input: fromRollout.input, cacheRead: fromRollout.cacheRead, output: fromRollout.output });
  });

  it('reports a failed turn with the error message', () => {
    const { events } = run(recorded('recorded/exec-error.stdout.jsonl'));
    expect(events.map((e) => e.type)).toEqual(['session-started', 'turn-started', 'error', 'error', 'turn-ended']);
    const last = events.at(-1) as Extract<HeadlessEvent, { type: 'turn-ended' }>;
    expect(last.turn.failed).toBe(true);
    expect((events[2] as { message: string }).message).toContain('Overloaded');
  });

  it('takes per-turn differences of the cumulative turn.completed usage', () => {
    const lines = [
      '{"type":"thread.started","thread_id":"t1"}',
      '{"type":"turn.started"}',
      '{"type":"turn.completed","usage":{"input_tokens":1000,"cached_input_tokens":200,"output_tokens":50}}',
      '{"type":"turn.started"}',
      '{"type":"turn.completed","usage":{"input_tokens":2500,"cached_input_tokens":1200,"output_tokens":80,"reasoning_output_tokens":10}}',
    ];
    const usage = run(lines).events.filter((e): e is Extract<HeadlessEvent, { type: 'usage' }> => e.type === 'usage').map((e) => e.record);
    expect(usage.map((r) => [r.usage.input, r.usage.cacheRead, r.usage.output, r.usage.reasoning, r.turnIndex])).toEqual([
      [800, 200, 50, 0, 0],
      [500, 1000, 30, 10, 1],
    ]);
  });

  it('counts bad lines, never throws, and fails a run cut short', () => {
    const { events, skipped } = run(['not json', '[]', '{"type":"mystery"}', '{"type":"item.completed","item":{"type":"command_execution"}}', '{"type":"item.completed","item":{"id":"x","type":"new_kind"}}']);
    expect(skipped).toEqual({ 'invalid-json': 1, 'invalid-record': 1, 'unknown-type': 1, 'missing-id': 1, 'unknown-item-type': 1 });
    expect(events.at(-1)).toMatchObject({ type: 'turn-ended', turn: { failed: true } });
  });

  it('is wired into the provider', () => {
    expect(typeof codex.createHeadlessParser).toBe('function');
    expect(codex.createHeadlessParser?.('codex-exec-json').push('{"type":"thread.started","thread_id":"abc"}')).toEqual([{ type: 'session-started', sessionId: 'abc' }]);
  });
});

describe('unwrapShellCommand', () => {
  it('unwraps double- and single-quoted shell wrappers', () => {
    expect(unwrapShellCommand('bash -lc "grep -rn \\"x\\" src"')).toBe('grep -rn "x" src');
    expect(unwrapShellCommand("bash -lc 'echo '\\''hi'\\'''")).toBe("echo 'hi'");
    expect(unwrapShellCommand('/bin/zsh -c ls')).toBe('ls');
    expect(unwrapShellCommand('rg TODO')).toBe('rg TODO');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CodexRolloutLineSchema } from './schema.js';
import { fixture, readOnce, sumUsage } from './test-helpers.test-util.js';

/**
 * Rollouts recorded from the testkit fake Codex CLI (`packages/testkit/bin/codex`, HOME/CODEX_HOME in a
 * temp dir): `exec --json` with two scripted tools (one failing), `exec` hitting a rate-limit error, and
 * an interactive tmux session of three prompts (a permission prompt approved, then a loop interrupted
 * with Esc). `exec-tools.stdout.jsonl` / `exec-tools.stdout-rollout.jsonl` are the stdout and the rollout of one
 * more `exec --json` run (see headless.test.ts).
 */
const RECORDED = ['recorded/exec-tools.jsonl', 'recorded/exec-tools.stdout-rollout.jsonl', 'recorded/exec-rate-limit-error.jsonl', 'recorded/interactive-permission-abort.jsonl'];

interface TotalTokens {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
}

/** The last cumulative total_token_usage written in a file (independent of the parser). */
function lastTotal(name: string): TotalTokens | null {
  let total: TotalTokens | null = null;
  for (const line of readFileSync(fixture(name), 'utf8').split('\n')) {
    if (!line) continue;
    const rec = JSON.parse(line) as { type: string; payload: { type?: string; info?: { total_token_usage?: TotalTokens } | null } };
    if (rec.type === 'event_msg' && rec.payload.type === 'token_count' && rec.payload.info?.total_token_usage) total = rec.payload.info.total_token_usage;
  }
  return total;
}

describe('recorded fake-CLI rollouts', () => {
  for (const name of RECORDED) {
    it(`validates every line against schema.ts and parses without skips: ${name}`, async () => {
      const lines = readFileSync(fixture(name), 'utf8').split('\n').filter((l) => l.length > 0);
      for (const line of lines) expect(CodexRolloutLineSchema.safeParse(JSON.parse(line)).success).toBe(true);
      const r = await readOnce(fixture(name));
      expect(r.unknownTypes).toEqual({});
      expect(Object.keys(r.skipped).filter((k) => k !== 'token-count-no-info')).toEqual([]);
    });

    it(`sums usage to the file's own cumulative totals: ${name}`, async () => {
      const r = await readOnce(fixture(name));
      const total = lastTotal(name);
      const sum = sumUsage(r.usage);
      expect(sum.input + sum.cacheRead).toBe(total?.input_tokens ?? 0);
      expect(sum.cacheRead).toBe(total?.cached_input_tokens ?? 0);
      expect(sum.output).toBe(total?.output_tokens ?? 0);
      expect(sum.reasoning).toBe(total?.reasoning_output_tokens ?? 0);
    });
  }

  it('exec with tools: one finished turn, an ok and a failed tool, ending idle', async () => {
    const r = await readOnce(fixture('recorded/exec-tools.jsonl'));
    expect(r.turns).toHaveLength(1);
    expect(r.turns[0]).toMatchObject({ userText: 'Check the workspace files', assistantText: 'Listed the files; missing.txt does not exist.', model: 'gpt-5.1-codex' });
    expect(r.turns[0]?.endedAt).toBeDefined();
    expect(r.turns[0]?.tools.map((t) => [t.inputSummary, t.outcome])).toEqual([
      ['ls -la', 'ok'],
      ['cat missing.txt', 'error'],
    ]);
    expect(r.usage.length).toBeGreaterThan(0);
    expect(r.signals.at(-1)?.state).toBe('idle');
  });

  it('exec with an API error: the turn fails and the last signal is error', async () => {
    const r = await readOnce(fixture('recorded/exec-rate-limit-error.jsonl'));
    expect(r.turns[0]?.failed).toBe(true);
    expect(r.signals.at(-1)).toMatchObject({ state: 'error', rule: 'codex.transcript.error' });
    expect(r.usage).toEqual([]);
  });

  it('interactive: three turns, the last aborted, the session idle again', async () => {
    const r = await readOnce(fixture('recorded/interactive-permission-abort.jsonl'));
    expect(r.turns.map((t) => t.userText)).toEqual(['Explain the repo', 'Run the tests', 'Keep optimising forever']);
    expect(r.turns.map((t) => t.assistantText)).toEqual(['First answer.', 'Tests pass.', '']);
    expect(r.turns.map((t) => Boolean(t.failed))).toEqual([false, false, true]);
    expect(r.turns.every((t) => t.endedAt !== undefined)).toBe(true);
    expect(r.turns[1]?.tools.some((t) => t.inputSummary === 'npm test' && t.outcome === 'ok')).toBe(true);
    expect(r.turns[2]?.tools.length).toBeGreaterThan(1);
    expect(r.turns[2]?.usage.output).toBeGreaterThan(0);
    expect(r.signals.at(-1)).toMatchObject({ state: 'idle', rule: 'codex.transcript.turn_aborted' });
    expect(r.session.models).toEqual(['gpt-5-codex']);
  });
});

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { foldDeltas, sumUsage } from './__fixtures__/fold-deltas.js';
import { GeminiTranscriptReader } from './parser.js';
import { GeminiJsonlLineSchema } from './schema.js';

const REC = (name: string): string => fileURLToPath(new URL(`./__fixtures__/recorded/${name}`, import.meta.url));

async function parse(name: string) {
  const path = REC(name);
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  const sessionId = (JSON.parse(lines[0] ?? '{}') as { sessionId: string }).sessionId;
  const delta = await new GeminiTranscriptReader({ path, providerId: 'gemini', sessionId, kind: 'main' }).read();
  return { lines, delta, sessionId };
}

describe('recorded fake CLI transcripts', () => {
  it('every line of both recordings validates against the schemas', async () => {
    for (const name of ['fake-p-mode.jsonl', 'fake-interactive.jsonl']) {
      const { lines, delta } = await parse(name);
      for (const line of lines) expect(GeminiJsonlLineSchema.safeParse(JSON.parse(line)).success, line.slice(0, 120)).toBe(true);
      expect(delta.skipped).toEqual({});
      expect(delta.unknownTypes).toEqual({});
    }
  });

  it('-p run: usage equals the token stats the CLI printed', async () => {
    const { delta } = await parse('fake-p-mode.jsonl');
    const stdout = JSON.parse(await readFile(REC('fake-p-mode-stdout.json'), 'utf8')) as {
      session_id: string;
      stats: { models: Record<string, { api: { totalRequests: number }; tokens: { prompt: number; candidates: number; cached: number; thoughts: number; tool: number } }> };
    };
    const [model, stats] = Object.entries(stdout.stats.models)[0] ?? [];
    expect(delta.session.id).toBe(stdout.session_id);
    expect(delta.usage).toHaveLength(stats?.api.totalRequests ?? -1);
    expect(delta.usage.every((u) => u.model === model)).toBe(true);
    const t = stats!.tokens;
    expect(sumUsage(delta.usage)).toMatchObject({
      input: t.prompt - t.cached + t.tool,
      output: t.candidates + t.thoughts,
      cacheRead: t.cached,
      reasoning: t.thoughts,
    });
    expect(delta.turns).toHaveLength(1);
    expect(delta.turns[0]).toMatchObject({ userText: 'Why do the tests fail?', assistantText: expect.stringContaining('The tests fail: one failing test.') as string });
    expect(delta.turns[0]?.tools.map((s) => [s.name, s.outcome])).toEqual([['read_file', 'ok'], ['run_shell_command', 'error']]);
    expect(delta.turns[0]?.endedAt).toBeDefined();
    expect(delta.signals.at(-1)?.state).toBe('idle');
  });

  it('interactive run: permission, API error, cancelled loop and a final answer', async () => {
    const { delta } = await parse('fake-interactive.jsonl');
    const turns = delta.turns;
    expect(turns.map((t) => t.userText)).toEqual(['Rebuild the project', 'Summarize the repo', 'Keep refactoring', 'Wrap up']);
    expect(turns[0]).toMatchObject({ assistantText: expect.stringContaining('Rebuilt the project.') as string });
    expect(turns[0]?.tools).toMatchObject([{ name: 'run_shell_command', inputSummary: 'rm -rf build && npm run build', outcome: 'ok' }]);
    expect(turns[1]).toMatchObject({ failed: true, usage: { input: 0, output: 0 } });
    expect(turns[1]?.endedAt).toBeDefined();
    expect(turns[2]).toMatchObject({ failed: true });
    expect(turns[2]?.tools.length).toBeGreaterThanOrEqual(3);
    expect(turns[3]).toMatchObject({ assistantText: 'All done here.' });
    expect(turns[3]?.failed).toBeUndefined();
    for (const t of turns) expect(t.endedAt).toBeDefined();
    const states = delta.signals.map((s) => s.state);
    expect(states).toContain('waiting-permission');
    expect(states).toContain('error');
    expect(states.at(-1)).toBe('idle');
    // the permission wait happened inside the first turn, before its tool ran
    const rules = delta.signals.map((s) => s.rule);
    expect(rules.indexOf('gemini.transcript.tool-awaiting-approval')).toBeLessThan(rules.indexOf('gemini.transcript.error-message'));
    const total = sumUsage(foldDeltas([delta]).usage.values());
    expect(total.input + total.cacheRead).toBeGreaterThan(100_000);
    expect(delta.usage.every((u) => u.dedupPolicy === 'last-wins' && u.turnIndex !== undefined)).toBe(true);
  });
});

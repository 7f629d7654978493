import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { FIXED_NOW, agent } from '../tui/__fixtures__/agents.js';
import { parseBudgetFlag } from '../tui/fleet-args.js';
import { renderPs } from './ps.js';

const home = mkdtempSync(join(tmpdir(), 'amx-ps-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), stderrIsTty: false, stdoutIsTty: false, env: { HOME: home, PATH: process.env['PATH'] }, cwd: home },
  };
}

describe('agentmux ps', () => {
  it('renders every column, nests subagents and prints totals', () => {
    const text = renderPs(
      [agent({ name: 'main', pid: 10, usd: 1.5, input: 12_000, output: 3_400, state: 'working' }), agent({ name: 'helper', pid: 11, usd: 0.25, parent: 'claude-10' }), agent({ name: 'fresh', pid: 12, session: false, usd: null })],
      { colour: false, now: FIXED_NOW },
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+PROV\s+MODEL\s+STATUS\s+PROJECT\s+AGE\s+IN\s+OUT\s+COST\s+PID\s+SUB$/);
    expect(lines[1]).toMatch(/^main\s+claude\s+sonnet-4-5\s+working\s+proj\s+1m\s+12\.0k\s+3\.4k\s+\$1\.50\s+10\s+0$/);
    expect(lines[2]).toMatch(/^└ helper\s/);
    expect(lines[3]).toMatch(/^fresh .* - +- +- +12 +0$/);
    expect(lines[4]).toBe('3 agents (1 without a session yet) · in 13.0k · out 3.9k · cost $1.75');
  });

  it('says so when nothing runs, and prints [] with --json', async () => {
    const a = io();
    expect(await main(['ps', '--no-default-tmux', '--filter', 'no-such-agent-xyz'], a.io)).toBe(0);
    expect(a.out.join('')).toMatch(/^No agents running/);
    const b = io();
    expect(await main(['ps', '--json', '--no-default-tmux', '--filter', 'no-such-agent-xyz'], b.io)).toBe(0);
    expect(JSON.parse(b.out.join(''))).toEqual([]);
  });

  it('rejects unknown options and bad values with usage', async () => {
    const a = io();
    expect(await main(['ps', '--frobnicate'], a.io)).toBe(2);
    expect(a.err.join('')).toContain('unknown option "--frobnicate"');
    const b = io();
    expect(await main(['ps', '--provider', 'cursor'], b.io)).toBe(2);
    expect(b.err.join('')).toContain('use one of claude, codex, gemini');
  });

  it('top refuses to run without a terminal', async () => {
    const a = io();
    expect(await main(['top'], a.io)).toBe(2);
    expect(a.err.join('')).toContain('needs a terminal');
  });
});

describe('--budget flag', () => {
  it.each([
    ['agent=5:kill', { scope: 'agent', maxUsd: 5, action: 'kill' }],
    ['total=$12.5', { scope: 'total', maxUsd: 12.5 }],
    ['day=2M:pause', { scope: 'day', maxTokens: 2_000_000, action: 'pause' }],
    ['project=200k', { scope: 'project', maxTokens: 200_000 }],
  ])('parses %s', (text, rule) => {
    expect(parseBudgetFlag(text)).toEqual(rule);
  });
  it('names the problem', () => {
    expect(() => parseBudgetFlag('week=5')).toThrow(/expected <scope>=<limit>/);
    expect(() => parseBudgetFlag('agent=0')).toThrow(/budgets\[0\]\.maxUsd/);
  });
});

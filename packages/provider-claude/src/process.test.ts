import type { ProcessInfo } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { isClaudeEntry, matchClaudeProcess } from './process.js';

const ID = '0b7e1c2a-5d3f-4e6a-9b8c-1d2e3f405162';
const NEW = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const row = (argv: string[], name = argv[0]?.split('/').at(-1) ?? ''): ProcessInfo => ({
  pid: 4242, ppid: 1, name, argv, cwd: '/home/dev/app', startedAt: '2026-11-20T10:00:00.000Z',
});

describe('matchClaudeProcess recognises the CLI', () => {
  it.each([
    [['claude']],
    [['/home/dev/.local/bin/claude', '--model', 'opus']],
    [['node', '/usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js']],
    [['/usr/bin/node', '--no-warnings', '--enable-source-maps', '/home/dev/.npm-global/bin/claude']],
    [['node', '-r', '/tmp/preload.cjs', '/opt/claude-code/node_modules/@anthropic-ai/claude-code/cli.mjs', '-c']],
    [['/home/dev/.local/share/claude/versions/2.0.31', '--resume']],
    [['node', '/work/main/packages/testkit/bin/claude', '--session-id', ID]],
    [['bun', '/home/dev/.bun/bin/claude']],
    [['/usr/bin/env', 'node', '/home/dev/.npm-global/bin/claude', '-c']],
  ])('%j', (argv) => {
    const m = matchClaudeProcess(row(argv));
    expect(m?.process).toEqual({ pid: 4242, ppid: 1, providerId: 'claude', argv, cwd: '/home/dev/app', startedAt: '2026-11-20T10:00:00.000Z', childPids: [] });
  });

  it('matches a process named claude whose argv is unreadable', () => {
    expect(matchClaudeProcess({ pid: 7, ppid: 1, name: 'claude', argv: [] })).toMatchObject({ process: { pid: 7, argv: [] } });
  });
});

describe('matchClaudeProcess rejects other processes', () => {
  it.each([
    [['grep', 'claude']],
    [['grep', '--color=auto', '-r', 'claude', '.']],
    [['vim', 'claude']],
    [['less', '/home/dev/notes/claude.md']],
    [['/usr/bin/python3', 'claude.py']],
    [['node', '/usr/lib/node_modules/@openai/codex/bin/codex.js']],
    [['codex', '--model', 'claude-sonnet-4-5']],
    [['gemini', '-p', 'ask claude']],
    [['node', '-e', 'require("claude")']],
    [['node', '/home/dev/tools/claude-usage/index.js']],
    [['npm', 'exec', '@anthropic-ai/claude-code']],
    [['bash', '-c', 'claude -p hi']],
    [['claude', 'mcp', 'serve']],
    [['claude', 'doctor']],
    [['claude', '--version']],
    [['tmux', 'new-session', '-s', 'claude', 'claude']],
    [['/home/dev/bin/claude-monitor']],
    [['/usr/bin/env', 'FOO=1', 'python3', 'claude']],
  ])('%j', (argv) => {
    expect(matchClaudeProcess(row(argv))).toBeNull();
  });

  it('rejects an unreadable argv unless the process is named claude', () => {
    expect(matchClaudeProcess({ pid: 8, ppid: 1, name: 'node', argv: [] })).toBeNull();
  });
});

describe('matchClaudeProcess reads argv facts', () => {
  it('takes the preset session id, model and print mode', () => {
    const m = matchClaudeProcess(row(['claude', '--session-id', ID.toUpperCase(), '--model=claude-opus-4-5', '-p', 'fix the bug', '--output-format', 'stream-json']));
    expect(m).toMatchObject({ sessionId: ID, model: 'claude-opus-4-5', nonInteractive: true });
    expect(m?.continuesLatest).toBeUndefined();
  });

  it('takes a resumed id, or marks --continue and the bare --resume picker', () => {
    expect(matchClaudeProcess(row(['claude', '--resume', ID]))?.sessionId).toBe(ID);
    expect(matchClaudeProcess(row(['claude', '-r', ID, '--model', 'sonnet']))).toMatchObject({ sessionId: ID, model: 'sonnet' });
    expect(matchClaudeProcess(row(['claude', '--continue']))).toMatchObject({ continuesLatest: true });
    expect(matchClaudeProcess(row(['claude', '-c', '-p', 'next']))).toMatchObject({ continuesLatest: true, nonInteractive: true });
    const picker = matchClaudeProcess(row(['claude', '--resume']));
    expect(picker?.sessionId).toBeUndefined();
  });

  it('names the new session of a fork, never the source', () => {
    expect(matchClaudeProcess(row(['claude', '--resume', ID, '--fork-session', '--session-id', NEW]))?.sessionId).toBe(NEW);
    expect(matchClaudeProcess(row(['claude', '--resume', ID, '--fork-session']))?.sessionId).toBeUndefined();
  });

  it('ignores a session id that is not a UUID and flags after --', () => {
    expect(matchClaudeProcess(row(['claude', '--session-id', 'nope']))?.sessionId).toBeUndefined();
    expect(matchClaudeProcess(row(['claude', '-p', '--', '--model', 'x']))?.model).toBeUndefined();
  });
});

describe('isClaudeEntry', () => {
  it('knows the entry points', () => {
    expect(isClaudeEntry('/a/b/claude')).toBe(true);
    expect(isClaudeEntry('/x/node_modules/@anthropic-ai/claude-code/cli.js')).toBe(true);
    expect(isClaudeEntry('/h/.local/share/claude/versions/1.0.128')).toBe(true);
    expect(isClaudeEntry('/x/node_modules/@anthropic-ai/claude-code/vendor/ripgrep/rg')).toBe(false);
    expect(isClaudeEntry('/a/b/claude.md')).toBe(false);
  });
});

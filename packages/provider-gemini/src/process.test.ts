import type { ProcessInfo } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { matchGeminiProcess } from './process.js';

const row = (argv: string[], over: Partial<ProcessInfo> = {}): ProcessInfo => ({
  pid: 4242,
  ppid: 1,
  name: argv[0]?.split('/').pop() ?? '',
  argv,
  cwd: '/work/demo-project',
  startedAt: '2026-11-21T10:00:00.000Z',
  ...over,
});
const UUID = '5b2c1a9e-0f3d-4c1e-9a77-2f6e8d1b3c40';

describe('recognising Gemini CLI', () => {
  it.each([
    [['gemini']],
    [['/usr/local/bin/gemini', '--model', 'gemini-2.5-flash']],
    [['node', '/usr/local/bin/gemini']],
    [['/usr/bin/node', '--no-warnings=DEP0040', '/home/u/.nvm/versions/node/v22.0.0/lib/node_modules/@google/gemini-cli/dist/index.js']],
    [['node', '--max-old-space-size=8192', '/usr/lib/node_modules/@google/gemini-cli/bundle/gemini.js', '-y']],
    [['node', '-r', '/tmp/hook.cjs', '/work/main/packages/testkit/bin/gemini']],
    [['bun', '/opt/gemini-cli/bundle/gemini.js']],
  ])('matches %j', (argv) => {
    const m = matchGeminiProcess(row(argv));
    expect(m?.process).toMatchObject({ pid: 4242, ppid: 1, providerId: 'gemini', argv, cwd: '/work/demo-project', startedAt: '2026-11-21T10:00:00.000Z', childPids: [] });
  });

  it.each([
    [['grep', 'gemini']],
    [['grep', '--color=auto', '-r', 'gemini', '.']],
    [['vim', 'gemini']],
    [['code', '/work/gemini']],
    [['node', '/work/tools/editor.js', 'gemini']],
    [['less', '/home/u/.gemini/tmp/x/chats/session-1.jsonl']],
    [['node', '/usr/local/bin/claude']],
    [['node', '/usr/local/lib/node_modules/@openai/codex/bin/codex.js']],
    [['codex', 'resume', 'gemini']],
    [['/usr/local/bin/gemini-proxy']],
    [['bash', '-c', 'gemini -p hi']],
    [['gemini', 'mcp', 'list']],
    [['gemini', 'extensions', 'install', 'x']],
    [['gemini', '--version']],
    [['node', '/usr/local/bin/gemini', '--list-sessions']],
  ])('does not match %j', (argv) => {
    expect(matchGeminiProcess(row(argv))).toBeNull();
  });

  it('matches a process named gemini whose argv could not be read', () => {
    expect(matchGeminiProcess(row([], { name: 'gemini' }))?.process.providerId).toBe('gemini');
    expect(matchGeminiProcess(row([], { name: 'node' }))).toBeNull();
  });
});

describe('parsing argv', () => {
  it('reads the resumed session id and model', () => {
    expect(matchGeminiProcess(row(['gemini', '--resume', UUID, '-m', 'gemini-2.5-pro']))).toMatchObject({ sessionId: UUID, model: 'gemini-2.5-pro' });
    expect(matchGeminiProcess(row(['gemini', `--resume=${UUID}`, '--model=gemini-2.5-flash']))).toMatchObject({ sessionId: UUID, model: 'gemini-2.5-flash' });
    expect(matchGeminiProcess(row(['gemini', '-r', UUID]))?.sessionId).toBe(UUID);
  });

  it('reads --resume latest and a bare --resume as continuing the latest session', () => {
    const a = matchGeminiProcess(row(['gemini', '--resume', 'latest']));
    expect(a).toMatchObject({ continuesLatest: true });
    expect(a?.sessionId).toBeUndefined();
    expect(matchGeminiProcess(row(['gemini', '--resume', '-m', 'x']))).toMatchObject({ continuesLatest: true, model: 'x' });
    const byIndex = matchGeminiProcess(row(['gemini', '--resume', '3']));
    expect(byIndex?.sessionId).toBeUndefined();
    expect(byIndex?.continuesLatest).toBeUndefined();
  });

  it('detects non-interactive runs (-p, --prompt=, positional) but not -i', () => {
    expect(matchGeminiProcess(row(['gemini', '-p', 'fix the bug', '--output-format', 'json']))?.nonInteractive).toBe(true);
    expect(matchGeminiProcess(row(['node', '/usr/local/bin/gemini', '--prompt=-weird prompt']))?.nonInteractive).toBe(true);
    expect(matchGeminiProcess(row(['gemini', 'explain', 'this', 'repo']))?.nonInteractive).toBe(true);
    expect(matchGeminiProcess(row(['gemini', '-i', 'start here']))?.nonInteractive).toBeUndefined();
    expect(matchGeminiProcess(row(['gemini', '--approval-mode', 'yolo', '-m', 'gemini-2.5-pro']))?.nonInteractive).toBeUndefined();
  });

  it('does not treat option values as subcommands or prompts', () => {
    const m = matchGeminiProcess(row(['gemini', '--include-directories', 'mcp', '-e', 'extensions']));
    expect(m).not.toBeNull();
    expect(m?.nonInteractive).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '@agentmux/core';
import { matchCodexProcess } from './process.js';

const row = (argv: string[], name = argv[0]?.split('/').pop() ?? ''): ProcessInfo => ({
  pid: 4242,
  ppid: 1000,
  name,
  argv,
  cwd: '/home/dev/proj',
  startedAt: '2026-11-20T10:00:00.000Z',
});

const NPM_ENTRY = '/usr/lib/node_modules/@openai/codex/bin/codex.js';
const ID = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('matchCodexProcess: recognising Codex', () => {
  it('matches the native binary and keeps the process facts', () => {
    const m = matchCodexProcess(row(['/usr/local/bin/codex']));
    expect(m).toEqual({
      process: { pid: 4242, ppid: 1000, providerId: 'codex', argv: ['/usr/local/bin/codex'], cwd: '/home/dev/proj', startedAt: '2026-11-20T10:00:00.000Z', childPids: [] },
    });
  });

  it('matches the npm node wrapper, with node options before the script', () => {
    expect(matchCodexProcess(row(['node', NPM_ENTRY, '-m', 'gpt-5-codex']))?.model).toBe('gpt-5-codex');
    expect(matchCodexProcess(row(['/usr/bin/node', '--no-warnings', '--require', '/x/preload.js', NPM_ENTRY]))).not.toBeNull();
    expect(matchCodexProcess(row(['node', '/home/u/.npm/_npx/abc/node_modules/.bin/codex', 'resume', ID]))?.sessionId).toBe(ID);
    expect(matchCodexProcess(row(['node', '/work/main/packages/testkit/bin/codex', 'exec', '--json', 'hi']))?.nonInteractive).toBe(true);
  });

  it('matches the vendored native binaries of the npm package', () => {
    const vendored = '/usr/lib/node_modules/@openai/codex/vendor/x86_64-unknown-linux-musl/codex/codex';
    expect(matchCodexProcess(row([vendored, 'resume', '--last']))?.continuesLatest).toBe(true);
    expect(matchCodexProcess(row(['/opt/codex/bin/codex-aarch64-apple-darwin']))).not.toBeNull();
  });

  it('matches a row whose argv could not be read only by its exact name', () => {
    expect(matchCodexProcess({ pid: 5, ppid: 1, name: 'codex', argv: [] })).not.toBeNull();
    expect(matchCodexProcess({ pid: 5, ppid: 1, name: 'codexfoo', argv: [] })).toBeNull();
  });
});

describe('matchCodexProcess: what is not Codex', () => {
  const cases: Array<[string, string[]]> = [
    ['grep', ['grep', '--color=auto', 'codex']],
    ['pgrep', ['pgrep', '-f', 'codex']],
    ['an editor on a file named codex', ['vim', 'codex']],
    ['an editor on codex.md', ['/usr/bin/nano', '/home/dev/codex.md']],
    ['less', ['less', '/home/dev/.codex/sessions/rollout.jsonl']],
    ['claude', ['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js', '--resume', 'x']],
    ['gemini', ['node', '/usr/lib/node_modules/@google/gemini-cli/dist/index.js']],
    ['node running another script that mentions codex in an argument', ['node', 'server.js', 'codex']],
    ['a shell that launched codex', ['bash', '-c', 'codex exec hi']],
    ['a similarly named tool', ['/usr/bin/codexctl', 'status']],
    ['codex --version', ['codex', '--version']],
    ['codex login', ['codex', 'login']],
    ['codex mcp-server', ['codex', 'mcp-server']],
    ['codex app-server', ['node', NPM_ENTRY, 'app-server']],
    ['codex completion', ['codex', 'completion', 'bash']],
  ];
  for (const [label, argv] of cases) {
    it(`does not match ${label}`, () => {
      expect(matchCodexProcess(row(argv))).toBeNull();
    });
  }
});

describe('matchCodexProcess: reading argv', () => {
  it('reads `codex resume <id>` with flags on either side', () => {
    const m = matchCodexProcess(row(['codex', 'resume', '-m', 'gpt-5.1-codex', '--sandbox', 'workspace-write', ID]));
    expect(m).toMatchObject({ sessionId: ID, model: 'gpt-5.1-codex' });
    expect(m?.continuesLatest).toBeUndefined();
    expect(m?.nonInteractive).toBeUndefined();
  });

  it('reads `codex resume --last`', () => {
    const m = matchCodexProcess(row(['codex', 'resume', '--last']));
    expect(m?.continuesLatest).toBe(true);
    expect(m?.sessionId).toBeUndefined();
  });

  it('reads `codex exec` and `codex exec resume`', () => {
    expect(matchCodexProcess(row(['codex', 'exec', '--json', '--model=gpt-5', 'fix the tests']))).toMatchObject({ nonInteractive: true, model: 'gpt-5' });
    expect(matchCodexProcess(row(['codex', 'e', 'do it']))?.nonInteractive).toBe(true);
    expect(matchCodexProcess(row(['codex', 'exec', '--json', 'resume', ID, 'continue']))).toMatchObject({ nonInteractive: true, sessionId: ID });
    expect(matchCodexProcess(row(['codex', 'exec', 'resume', '--last', 'go on']))).toMatchObject({ nonInteractive: true, continuesLatest: true });
  });

  it('treats -p as the profile, not a prompt', () => {
    const m = matchCodexProcess(row(['codex', '-p', 'work', '-c', 'model_reasoning_effort="high"', 'write docs']));
    expect(m).not.toBeNull();
    expect(m?.nonInteractive).toBeUndefined();
    expect(m?.sessionId).toBeUndefined();
  });

  it('does not take the forked-from id as the process session', () => {
    const m = matchCodexProcess(row(['codex', 'fork', ID]));
    expect(m).not.toBeNull();
    expect(m?.sessionId).toBeUndefined();
    expect(m?.continuesLatest).toBeUndefined();
  });

  it('reads the legacy experimental_resume override', () => {
    const m = matchCodexProcess(row(['codex', '-c', `experimental_resume="/home/u/.codex/sessions/2025/09/01/rollout-2025-09-01T10-00-00-${ID}.jsonl"`]));
    expect(m?.sessionId).toBe(ID);
  });

  it('reads -mMODEL and a prompt after --', () => {
    expect(matchCodexProcess(row(['codex', '-mo3', '--', '--weird prompt']))?.model).toBe('o3');
  });
});

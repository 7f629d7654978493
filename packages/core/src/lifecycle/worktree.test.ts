import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../backends/__fixtures__/wait-for.js';
import { createHarness, type Harness } from './__fixtures__/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

async function gitRepo(dir: string): Promise<void> {
  const git = (...args: string[]) => execa('git', ['-C', dir, ...args]);
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.email', 't@example.com');
  await git('config', 'user.name', 'T');
  writeFileSync(join(dir, 'README.md'), 'hi\n');
  await git('add', '.');
  await git('commit', '-q', '-m', 'init');
}

describe('spawn with a worktree', () => {
  it('runs the agent in a new worktree on branch agentmux/<name>', async () => {
    h = createHarness('tmux');
    await gitRepo(h.work);
    const record = await h.manager.spawn(h.provider, { name: 'wt', cwd: h.work, sessionId: 'sess-wt', env: h.env(), worktree: { baseBranch: 'main' } });
    expect(record.worktree).toEqual({ path: join(h.stateDir, 'worktrees', 'wt'), branch: 'agentmux/wt', baseBranch: 'main' });
    expect(record.cwd).toBe(record.worktree?.path);
    expect(existsSync(join(record.cwd, 'README.md'))).toBe(true);
    const { stdout } = await execa('git', ['-C', record.cwd, 'branch', '--show-current']);
    expect(stdout.trim()).toBe('agentmux/wt');
    await h.manager.send('wt', 'in the worktree');
    const meta = JSON.parse(readFileSync(join(h.home, 'sessions', 'sess-wt.jsonl'), 'utf8').split('\n')[0] ?? '{}') as { cwd: string };
    expect(meta.cwd).toBe(record.cwd);
  });

  it('refuses a base that looks like an option and reports git failures', async () => {
    h = createHarness('tmux');
    await gitRepo(h.work);
    await expect(h.manager.spawn(h.provider, { name: 'w1', cwd: h.work, worktree: { baseBranch: '--orphan' } })).rejects.toThrow(/spawn\.worktree\.baseBranch/);
    await expect(h.manager.spawn(h.provider, { name: 'w2', cwd: h.work, worktree: { baseBranch: 'no-such-branch' } })).rejects.toThrow(/git worktree add failed/);
  });
});

describe('spawn input reaches the CLI as argv, never a shell', () => {
  it('passes a hostile model name byte-exact; nothing executes', async () => {
    h = createHarness('tmux');
    const canary = join(h.dir, 'canary');
    const model = `m; touch ${canary} $(touch ${canary}) \`touch ${canary}\`;`;
    await h.manager.spawn(h.provider, { name: 'hostile', cwd: h.work, sessionId: 'sess-h', model, env: h.env({ EVIL: `$(touch ${canary})` }) });
    await h.manager.send('hostile', 'go');
    await waitFor(() => existsSync(join(h!.home, 'sessions', 'sess-h.jsonl')), 'transcript');
    const meta = JSON.parse(readFileSync(join(h.home, 'sessions', 'sess-h.jsonl'), 'utf8').split('\n')[0] ?? '{}') as { model: string };
    expect(meta.model).toBe(model);
    expect(existsSync(canary)).toBe(false);
  });
});

import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { BackendError, InvalidArgumentError } from '../errors/index.js';
import { assertArgvString } from '../backends/input-validation.js';

/** A git worktree made for an agent. */
export interface AgentWorktree {
  path: string;
  branch: string;
  baseBranch: string;
}

/**
 * Adds a worktree on a new branch `agentmux/<name>` from `baseBranch`: `git worktree add -b <branch> <path>
 * <base>`, as an argv array in the repository at `repoDir`.
 */
export async function addWorktree(repoDir: string, name: string, baseBranch: string, path: string): Promise<AgentWorktree> {
  assertArgvString(baseBranch, 'spawn.worktree.baseBranch');
  if (baseBranch === '' || baseBranch.startsWith('-')) {
    throw new InvalidArgumentError('spawn.worktree.baseBranch', `${JSON.stringify(baseBranch)} is not a branch name`, 'pass a branch or commit such as "main"');
  }
  if (existsSync(path)) {
    throw new InvalidArgumentError('spawn.worktree.path', `${path} already exists`, 'pass a new path or remove the old worktree (git worktree remove)');
  }
  const branch = `agentmux/${name}`;
  const result = await execa('git', ['-C', repoDir, 'worktree', 'add', '-b', branch, '--', path, baseBranch], { reject: false });
  if (result.exitCode !== 0) {
    throw new BackendError('git', 'worktree add', result.stderr.trim() || `exit ${result.exitCode}`);
  }
  return { path, branch, baseBranch };
}

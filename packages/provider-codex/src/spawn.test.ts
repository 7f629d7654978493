import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnsupportedCapabilityError, type PermissionMode } from '@agentmux/core';
import { buildCodexForkCommand, buildCodexResumeCommand, buildCodexSpawnCommand } from './spawn.js';

const ID = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('buildCodexSpawnCommand', () => {
  it('starts the TUI with model and the default permission mapping, never naming a session', () => {
    const cmd = buildCodexSpawnCommand({ cwd: '/w', model: 'gpt-5-codex', permissionMode: 'default', env: { FOO: 'bar' }, sessionId: 'ignored' });
    expect(cmd).toEqual({ command: 'codex', args: ['--model', 'gpt-5-codex', '--ask-for-approval', 'on-request'], env: { FOO: 'bar' }, cwd: '/w' });
    expect(cmd.sessionId).toBeUndefined();
  });

  it('maps every permission mode for the TUI', () => {
    const args = (mode: PermissionMode) => buildCodexSpawnCommand({ cwd: '/w', permissionMode: mode }).args;
    expect(args('plan')).toEqual(['--sandbox', 'read-only', '--ask-for-approval', 'on-request']);
    expect(args('accept-edits')).toEqual(['--sandbox', 'workspace-write', '--ask-for-approval', 'on-request']);
    expect(args('bypass')).toEqual(['--dangerously-bypass-approvals-and-sandbox']);
    expect(buildCodexSpawnCommand({ cwd: '/w' }).args).toEqual([]);
  });

  it('builds `codex exec --json` with the prompt as one argv element (no shell)', () => {
    const prompt = 'fix it; rm -rf / && echo "$HOME" `whoami`';
    const cmd = buildCodexSpawnCommand({ cwd: '/w', nonInteractive: true, prompt, model: 'o3', permissionMode: 'accept-edits' });
    expect(cmd.args).toEqual(['exec', '--json', '--skip-git-repo-check', '--model', 'o3', '--sandbox', 'workspace-write', prompt]);
    expect(cmd.outputFormat).toBe('codex-exec-json');
  });

  it('never passes --ask-for-approval to exec; a prompt that looks like a flag goes after --', () => {
    const cmd = buildCodexSpawnCommand({ cwd: '/w', nonInteractive: true, prompt: '--help me', permissionMode: 'default' }, { execSkipGitRepoCheck: false });
    expect(cmd.args).toEqual(['exec', '--json', '--', '--help me']);
  });

  it('puts telemetry -c overrides before the subcommand', () => {
    const cmd = buildCodexSpawnCommand({ cwd: '/w', nonInteractive: true, prompt: 'hi', telemetry: { endpoint: 'http://127.0.0.1:4318', protocol: 'http/json' } });
    expect(cmd.args.slice(0, 5)).toEqual(['-c', 'otel.log_user_prompt=false', '-c', 'otel.exporter={otlp-http={endpoint="http://127.0.0.1:4318/v1/logs",protocol="json"}}', 'exec']);
  });

  it('uses a configured binary path', () => {
    expect(buildCodexSpawnCommand({ cwd: '/w' }, { command: '/opt/codex/bin/codex' }).command).toBe('/opt/codex/bin/codex');
  });

  it('rejects bad input with typed errors naming the field', () => {
    const fieldOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
        return (error as InvalidArgumentError).field;
      }
      return null;
    };
    expect(fieldOf(() => buildCodexSpawnCommand({ cwd: '' }))).toBe('spawn.cwd');
    expect(fieldOf(() => buildCodexSpawnCommand({ cwd: '/w', nonInteractive: true }))).toBe('spawn.prompt');
    expect(fieldOf(() => buildCodexSpawnCommand({ cwd: '/w', model: '--yolo' }))).toBe('spawn.model');
    expect(fieldOf(() => buildCodexSpawnCommand({ cwd: '/w', permissionMode: 'yolo' as PermissionMode }))).toBe('spawn.permissionMode');
  });
});

describe('buildCodexResumeCommand', () => {
  it('resumes an id interactively and names it', () => {
    const cmd = buildCodexResumeCommand({ cwd: '/w', sessionId: ID, model: 'gpt-5', permissionMode: 'bypass' });
    expect(cmd.args).toEqual(['resume', '--model', 'gpt-5', '--dangerously-bypass-approvals-and-sandbox', ID]);
    expect(cmd.sessionId).toBe(ID);
  });

  it('resumes the latest without naming a session', () => {
    const cmd = buildCodexResumeCommand({ cwd: '/w' });
    expect(cmd.args).toEqual(['resume', '--last']);
    expect(cmd.sessionId).toBeUndefined();
  });

  it('resumes non-interactively through `codex exec … resume`', () => {
    expect(buildCodexResumeCommand({ cwd: '/w', sessionId: ID, nonInteractive: true, prompt: 'continue' }).args).toEqual([
      'exec', '--json', '--skip-git-repo-check', 'resume', ID, 'continue',
    ]);
    expect(buildCodexResumeCommand({ cwd: '/w', nonInteractive: true, prompt: 'go' }).args).toEqual(['exec', '--json', '--skip-git-repo-check', 'resume', '--last', 'go']);
  });

  it('rejects an id that looks like a flag', () => {
    expect(() => buildCodexResumeCommand({ cwd: '/w', sessionId: '--all' })).toThrow(/resume.sessionId/);
  });
});

describe('buildCodexForkCommand', () => {
  it('forks interactively; the new id cannot be preset', () => {
    const cmd = buildCodexForkCommand({ cwd: '/w', fromSessionId: ID, newSessionId: 'ignored', model: 'gpt-5' });
    expect(cmd.args).toEqual(['fork', '--model', 'gpt-5', ID]);
    expect(cmd.sessionId).toBeUndefined();
  });

  it('has no non-interactive fork', () => {
    let caught: unknown;
    try {
      buildCodexForkCommand({ cwd: '/w', fromSessionId: ID, nonInteractive: true, prompt: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(UnsupportedCapabilityError.isInstance(caught)).toBe(true);
  });

  it('rejects a missing source id', () => {
    expect(() => buildCodexForkCommand({ cwd: '/w', fromSessionId: '' })).toThrow(/fork.fromSessionId/);
  });
});

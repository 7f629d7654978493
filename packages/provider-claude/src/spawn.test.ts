import { InvalidArgumentError } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { buildClaudeForkCommand, buildClaudeResumeCommand, buildClaudeSpawnCommand } from './spawn.js';

const ID = '0b7e1c2a-5d3f-4e6a-9b8c-1d2e3f405162';
const NEW = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('buildClaudeSpawnCommand', () => {
  it('presets the session id and maps model and permission mode to flags', () => {
    const spec = buildClaudeSpawnCommand('claude', { cwd: '/w', sessionId: ID, model: 'sonnet', permissionMode: 'accept-edits', env: { FOO: 'bar' } });
    expect(spec).toEqual({
      command: 'claude',
      args: ['--session-id', ID, '--model', 'sonnet', '--permission-mode', 'acceptEdits'],
      env: { FOO: 'bar' },
      cwd: '/w',
      sessionId: ID,
    });
  });

  it('generates a UUID when no session id is given', () => {
    const a = buildClaudeSpawnCommand('claude', { cwd: '/w' });
    const b = buildClaudeSpawnCommand('claude', { cwd: '/w' });
    expect(a.sessionId).toMatch(UUID);
    expect(a.args).toEqual(['--session-id', a.sessionId]);
    expect(a.sessionId).not.toBe(b.sessionId);
  });

  it('maps every permission mode', () => {
    const mode = (permissionMode: 'default' | 'plan' | 'accept-edits' | 'bypass') =>
      buildClaudeSpawnCommand('claude', { cwd: '/w', sessionId: ID, permissionMode }).args.slice(-1)[0];
    expect([mode('default'), mode('plan'), mode('accept-edits'), mode('bypass')]).toEqual(['default', 'plan', 'acceptEdits', 'bypassPermissions']);
  });

  it('runs non-interactively with -p and stream-json, keeping the prompt one argument', () => {
    const prompt = 'fix "it"; rm -rf / $(whoami) `id`';
    const spec = buildClaudeSpawnCommand('/opt/claude', { cwd: '/w', sessionId: ID, prompt, nonInteractive: true });
    expect(spec.args).toEqual(['--session-id', ID, '-p', prompt, '--output-format', 'stream-json', '--verbose']);
    expect(spec.outputFormat).toBe('claude-stream-json');
    expect(spec.command).toBe('/opt/claude');
  });

  it('puts a prompt that starts with - after --', () => {
    const spec = buildClaudeSpawnCommand('claude', { cwd: '/w', sessionId: ID, prompt: '--help me', nonInteractive: true });
    expect(spec.args.slice(-3)).toEqual(['-p', '--', '--help me']);
  });

  it('does not put an interactive prompt on the command line', () => {
    expect(buildClaudeSpawnCommand('claude', { cwd: '/w', sessionId: ID, prompt: 'hello' }).args).toEqual(['--session-id', ID]);
  });

  it('rejects bad input with a typed error naming the field', () => {
    const cases: [object, string][] = [
      [{ cwd: 'relative/dir' }, 'spawn.cwd'],
      [{ cwd: '/w', sessionId: 'not-a-uuid' }, 'spawn.sessionId'],
      [{ cwd: '/w', model: '--dangerously-skip-permissions' }, 'spawn.model'],
      [{ cwd: '/w', permissionMode: 'yolo' }, 'spawn.permissionMode'],
      [{ cwd: '/w', nonInteractive: true }, 'spawn.prompt'],
      [{ cwd: '/w', env: { 'BAD NAME': 'x' } }, 'spawn.env'],
    ];
    for (const [req, field] of cases) {
      let caught: unknown;
      try {
        buildClaudeSpawnCommand('claude', req as never);
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught), field).toBe(true);
      expect((caught as InvalidArgumentError).field).toBe(field);
    }
  });
});

describe('resume and fork', () => {
  it('resumes by id, or continues the latest session', () => {
    expect(buildClaudeResumeCommand('claude', { cwd: '/w', sessionId: ID, model: 'opus' })).toMatchObject({
      args: ['--resume', ID, '--model', 'opus'],
      sessionId: ID,
    });
    const latest = buildClaudeResumeCommand('claude', { cwd: '/w' });
    expect(latest.args).toEqual(['--continue']);
    expect(latest.sessionId).toBeUndefined();
  });

  it('forks into a preset new session', () => {
    expect(buildClaudeForkCommand('claude', { cwd: '/w', fromSessionId: ID, newSessionId: NEW })).toMatchObject({
      args: ['--resume', ID, '--fork-session', '--session-id', NEW],
      sessionId: NEW,
    });
    const generated = buildClaudeForkCommand('claude', { cwd: '/w', fromSessionId: ID, prompt: 'go on', nonInteractive: true });
    expect(generated.sessionId).toMatch(UUID);
    expect(generated.args).toEqual(['--resume', ID, '--fork-session', '--session-id', generated.sessionId, '-p', 'go on', '--output-format', 'stream-json', '--verbose']);
    expect(() => buildClaudeForkCommand('claude', { cwd: '/w', fromSessionId: ID, newSessionId: ID })).toThrow(/fork.newSessionId/);
    expect(() => buildClaudeForkCommand('claude', { cwd: '/w', fromSessionId: 'x' })).toThrow(/fork.fromSessionId/);
  });
});

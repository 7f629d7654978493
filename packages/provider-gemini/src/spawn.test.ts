import { InvalidArgumentError, UnsupportedCapabilityError } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { buildResumeCommand, buildSpawnCommand, mapPermissionMode } from './spawn.js';

const CWD = '/work/demo-project';

describe('buildSpawnCommand', () => {
  it('starts the interactive CLI with model and approval mode as argv', () => {
    expect(buildSpawnCommand({ cwd: CWD, model: 'gemini-2.5-pro', permissionMode: 'accept-edits', env: { FOO: 'bar' } })).toEqual({
      command: 'gemini',
      args: ['--model', 'gemini-2.5-pro', '--approval-mode', 'auto_edit'],
      env: { FOO: 'bar' },
      cwd: CWD,
    });
    expect(buildSpawnCommand({ cwd: CWD, prompt: 'typed later' }).args).toEqual([]);
  });

  it('runs non-interactively with the prompt as one argv element, even with shell metacharacters', () => {
    const prompt = `-rf "$(rm -rf /)"; echo 'x' && \`id\``;
    const spec = buildSpawnCommand({ cwd: CWD, prompt, nonInteractive: true, permissionMode: 'bypass' });
    expect(spec.args).toEqual(['--approval-mode', 'yolo', `--prompt=${prompt}`, '--output-format', 'json']);
    expect(spec.outputFormat).toBe('gemini-json');
    const stream = buildSpawnCommand({ cwd: CWD, prompt: 'hi', nonInteractive: true }, { outputFormat: 'stream-json', binary: '/opt/gemini' });
    expect(stream).toMatchObject({ command: '/opt/gemini', args: ['--prompt=hi', '--output-format', 'stream-json'], outputFormat: 'gemini-stream-json' });
  });

  it('rejects bad input with a typed error naming the field', () => {
    const field = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        if (InvalidArgumentError.isInstance(error)) return error.field;
        throw error;
      }
      return undefined;
    };
    expect(field(() => buildSpawnCommand({ cwd: 'relative/dir' }))).toBe('spawn.cwd');
    expect(field(() => buildSpawnCommand({ cwd: CWD, model: '--yolo' }))).toBe('spawn.model');
    expect(field(() => buildSpawnCommand({ cwd: CWD, nonInteractive: true }))).toBe('spawn.prompt');
    expect(field(() => buildSpawnCommand({ cwd: CWD, env: { 'BAD NAME': 'x' } }))).toBe('spawn.env.BAD NAME');
    expect(field(() => buildSpawnCommand({ cwd: CWD, permissionMode: 'sudo' as never }))).toBe('permissionMode');
    expect(field(() => buildResumeCommand({ cwd: CWD, sessionId: '../../etc' }))).toBe('resume.sessionId');
  });

  it('cannot preset a session id', () => {
    expect(() => buildSpawnCommand({ cwd: CWD, sessionId: 'abc' })).toThrowError(
      expect.objectContaining({ code: 'AGENTMUX_UNSUPPORTED_CAPABILITY', capability: 'preset-session-id' }) as Error,
    );
    try {
      buildSpawnCommand({ cwd: CWD, sessionId: 'abc' });
    } catch (error) {
      expect(UnsupportedCapabilityError.isInstance(error)).toBe(true);
    }
  });
});

describe('buildResumeCommand', () => {
  it('resumes a given session or the latest', () => {
    const id = '5b2c1a9e-0f3d-4c1e-9a77-2f6e8d1b3c40';
    expect(buildResumeCommand({ cwd: CWD, sessionId: id, model: 'gemini-2.5-flash' })).toEqual({
      command: 'gemini',
      args: ['--resume', id, '--model', 'gemini-2.5-flash'],
      env: {},
      cwd: CWD,
      sessionId: id,
    });
    expect(buildResumeCommand({ cwd: CWD }).args).toEqual(['--resume', 'latest']);
    expect(buildResumeCommand({ cwd: CWD, prompt: 'go on', nonInteractive: true }).args).toEqual(['--resume', 'latest', '--prompt=go on', '--output-format', 'json']);
  });
});

describe('mapPermissionMode', () => {
  it('maps every core mode; plan falls back to default with a note', () => {
    expect(mapPermissionMode('default')).toEqual({ approvalMode: 'default' });
    expect(mapPermissionMode('accept-edits')).toEqual({ approvalMode: 'auto_edit' });
    expect(mapPermissionMode('bypass')).toEqual({ approvalMode: 'yolo' });
    const plan = mapPermissionMode('plan');
    expect(plan.approvalMode).toBe('default');
    expect(plan.note).toMatch(/no plan mode/);
  });
});

import { describe, expect, it } from 'vitest';
import { redactSecrets, summarizeToolInput, toolOutputError } from './tool-summary.js';

describe('summarizeToolInput', () => {
  it('turns shell argv into the command line', () => {
    expect(summarizeToolInput('shell', JSON.stringify({ command: ['bash', '-lc', 'npm test -- --run'], workdir: '/w' }))).toBe('npm test -- --run');
    expect(summarizeToolInput('shell', JSON.stringify({ command: ['rg', '-n', 'TODO', 'src'] }))).toBe('rg -n TODO src');
    expect(summarizeToolInput('shell_command', JSON.stringify({ command: 'git status' }))).toBe('git status');
    expect(summarizeToolInput('exec_command', JSON.stringify({ cmd: 'pytest -q' }))).toBe('pytest -q');
  });

  it('summarises apply_patch bodies as the files they touch', () => {
    const patch = '*** Begin Patch\n*** Update File: src/a.ts\n@@\n-x\n+y\n*** Add File: src/b.ts\n+new\n*** End Patch';
    expect(summarizeToolInput('apply_patch', null, patch)).toBe('Update src/a.ts, Add src/b.ts');
    expect(summarizeToolInput('apply_patch', JSON.stringify({ input: patch }))).toBe('Update src/a.ts, Add src/b.ts');
  });

  it('uses a local_shell_call action and other tools\' main field', () => {
    expect(summarizeToolInput('local_shell', null, null, { type: 'exec', command: ['ls', '-la'] })).toBe('ls -la');
    expect(summarizeToolInput('view_image', JSON.stringify({ path: '/tmp/x.png' }))).toBe('/tmp/x.png');
    expect(summarizeToolInput('update_plan', JSON.stringify({ plan: [{ step: 'a' }, { step: 'b' }] }))).toBe('plan (2 steps)');
  });

  it('is at most 200 characters and never carries env values or tokens', () => {
    const long = summarizeToolInput('shell', JSON.stringify({ command: ['bash', '-lc', `echo ${'a'.repeat(500)}`] }));
    expect(long.length).toBe(200);
    expect(long.endsWith('…')).toBe(true);
    const env = summarizeToolInput('mcp__x', JSON.stringify({ env: { GITHUB_TOKEN: 'ghp_abcdefghijklmnop' }, flag: true }));
    expect(env).not.toContain('ghp_');
    expect(env).not.toContain('GITHUB_TOKEN');
  });
});

describe('redactSecrets', () => {
  it('removes env values, bearer tokens and API keys', () => {
    const out = redactSecrets('AWS_SECRET_ACCESS_KEY=abc123 curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x" --api-key sk-proj-0123456789abcdef api_key=zzz');
    expect(out).not.toMatch(/abc123|eyJhbGci|sk-proj-0123456789abcdef|zzz/);
    expect(out).toContain('AWS_SECRET_ACCESS_KEY=***');
  });

  it('leaves ordinary commands alone', () => {
    expect(redactSecrets('git commit -m "fix parser" && npm test')).toBe('git commit -m "fix parser" && npm test');
  });
});

describe('toolOutputError', () => {
  it('reads the JSON shell output with metadata.exit_code', () => {
    expect(toolOutputError(JSON.stringify({ output: 'ok\n', metadata: { exit_code: 0 } }))).toBeNull();
    expect(toolOutputError(JSON.stringify({ output: 'boom\nmore', metadata: { exit_code: 2 } }))).toBe('exit code 2: boom');
  });

  it('reads the unified-exec text format', () => {
    expect(toolOutputError('Exit code: 0\nWall time: 0.1 seconds\nOutput:\nfine')).toBeNull();
    expect(toolOutputError('Exit code: 127\nWall time: 0 seconds\nOutput:\nbash: foo: command not found')).toBe('exit code 127: bash: foo: command not found');
    expect(toolOutputError('Process exited with code 1\nOutput:\nfailed')).toBe('exit code 1: failed');
  });

  it('reads {content, success:false}, content-item arrays and error prefixes', () => {
    expect(toolOutputError({ content: 'sandbox denied write', success: false })).toBe('sandbox denied write');
    expect(toolOutputError([{ type: 'input_text', text: 'all good' }])).toBeNull();
    expect(toolOutputError('execution error: Io(Os { code: 2 })')).toBe('execution error: Io(Os { code: 2 })');
    expect(toolOutputError('exec command rejected by user')).toBe('exec command rejected by user');
    expect(toolOutputError('Success. Updated the following files:\nM src/a.ts')).toBeNull();
  });

  it('redacts secrets in error messages', () => {
    expect(toolOutputError(JSON.stringify({ output: 'TOKEN=supersecret failed', metadata: { exit_code: 1 } }))).toBe('exit code 1: TOKEN=*** failed');
  });
});

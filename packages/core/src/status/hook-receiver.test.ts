import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { createHookReceiver, installHookSettings, uninstallHookSettings } from './hook-receiver.js';

const root = mkdtempSync(join(tmpdir(), 'amx-hooks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the hook command the way Claude Code does: through the shell, JSON on stdin. */
const fire = (command: string, payload: object) => execFileSync('/bin/sh', ['-c', command], { input: JSON.stringify(payload) });

describe('hook receiver', () => {
  const receiver = createHookReceiver({ dir: join(root, 'hooks') });

  it('installs a fixed, executable script whose path is the whole command', () => {
    expect(receiver.command).toBe(join(root, 'hooks', 'agentmux-claude-hook.mjs'));
    expect(statSync(receiver.command).mode & 0o100).toBe(0o100);
  });

  it('records events run through the shell and turns them into strong evidence, keeping no secrets', async () => {
    const base = { session_id: 's-1', cwd: '/w', transcript_path: '/t/s-1.jsonl', permission_mode: 'default' };
    fire(receiver.command, { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'my password is hunter2' });
    expect(receiver.latest('s-1')).toBeUndefined(); // nothing until polled
    let events = await receiver.poll();
    expect(events).toHaveLength(1);
    expect(receiver.latest('s-1')).toMatchObject({ source: 'hook', state: 'working', strength: 'strong', rule: 'claude.hook.UserPromptSubmit' });
    fire(receiver.command, { ...base, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'export TOKEN=sk-secret' } });
    fire(receiver.command, { ...base, hook_event_name: 'Notification', message: 'Claude needs your permission to use Bash' });
    events = await receiver.poll();
    expect(events.map((e) => e.event)).toEqual(['PreToolUse', 'Notification']);
    expect(receiver.latest('s-1')).toMatchObject({ state: 'waiting-permission', rule: 'claude.hook.Notification.permission_prompt' });
    fire(receiver.command, { ...base, hook_event_name: 'Stop', last_assistant_message: 'the secret is 42' });
    await receiver.poll();
    expect(receiver.latest('s-1')?.state).toBe('idle');
    const log = readFileSync(receiver.eventsPath, 'utf8');
    expect(log).not.toMatch(/hunter2|sk-secret|secret is 42|needs your permission/);
    expect(log.trim().split('\n')).toHaveLength(4);
  });

  it('never fails the agent on garbage input and keeps a torn last line for later', async () => {
    expect(() => execFileSync('/bin/sh', ['-c', receiver.command], { input: 'not json' })).not.toThrow();
    writeFileSync(receiver.eventsPath, '{"hook_event_name":"Stop","session_id":"s-2","received_at":"2026-11-21T10:00:00.000Z"', { flag: 'a' });
    expect(await receiver.poll()).toEqual([]);
    writeFileSync(receiver.eventsPath, '}\n', { flag: 'a' });
    const events = await receiver.poll();
    expect(events.map((e) => e.sessionId)).toEqual(['s-2']);
  });

  it('refuses a directory a shell would interpret', () => {
    expect(() => createHookReceiver({ dir: join(root, 'bad dir;rm') })).toThrow(InvalidArgumentError);
  });
});

describe('installHookSettings', () => {
  const settings = (command: string) => ({
    hooks: {
      Stop: [{ hooks: [{ type: 'command', command, timeout: 5 }] }],
      PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command }] }],
    },
  });

  it('merges into existing settings idempotently, keeps other hooks, and uninstalls only ours', () => {
    const path = join(root, 'proj', '.claude', 'settings.local.json');
    installHookSettings(path, { permissions: { allow: ['Bash(ls)'] }, hooks: { Stop: [{ hooks: [{ type: 'command', command: '/usr/bin/other' }] }] } });
    installHookSettings(path, settings('/x/agentmux-claude-hook.mjs'));
    installHookSettings(path, settings('/x/agentmux-claude-hook.mjs'));
    const merged = JSON.parse(readFileSync(path, 'utf8'));
    expect(merged.permissions).toEqual({ allow: ['Bash(ls)'] });
    expect(merged.hooks.Stop).toHaveLength(2);
    expect(merged.hooks.PreToolUse).toHaveLength(1);
    uninstallHookSettings(path, '/x/agentmux-claude-hook.mjs');
    const after = JSON.parse(readFileSync(path, 'utf8'));
    expect(after.hooks).toEqual({ Stop: [{ hooks: [{ type: 'command', command: '/usr/bin/other' }] }] });
  });

  it('refuses to overwrite a settings file that is not JSON', () => {
    const path = join(root, 'broken.json');
    writeFileSync(path, '{ oops');
    expect(() => installHookSettings(path, settings('/x/h'))).toThrow(/not a JSON object.*Fix: repair/);
    expect(readFileSync(path, 'utf8')).toBe('{ oops');
  });
});

import { describe, expect, it } from 'vitest';
import { CLAUDE_HOOK_EVENTS, hookSettings, shellQuote } from './hooks.js';

describe('hookSettings', () => {
  it('registers one command for every hook event, with a matcher on tool events', () => {
    const s = hookSettings(['/usr/bin/node', '/opt/agentmux/hook receiver.js', "it's"], { timeoutSec: 5 });
    expect(Object.keys(s.hooks)).toEqual([...CLAUDE_HOOK_EVENTS]);
    const command = `/usr/bin/node '/opt/agentmux/hook receiver.js' 'it'\\''s'`;
    expect(s.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command, timeout: 5 }] }]);
    expect(s.hooks.PreToolUse).toEqual([{ matcher: '*', hooks: [{ type: 'command', command, timeout: 5 }] }]);
    expect(s.hooks.PostToolUse?.[0]?.matcher).toBe('*');
    expect(s.hooks.Notification?.[0]?.matcher).toBeUndefined();
  });

  it('takes a trusted string as-is and a subset of events', () => {
    expect(hookSettings('agentmux-hook', { events: ['Stop'] })).toEqual({
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'agentmux-hook', timeout: 10 }] }] },
    });
  });

  it('rejects an empty command or bad timeout', () => {
    expect(() => hookSettings([])).toThrow(/hookSettings.command/);
    expect(() => hookSettings('  ')).toThrow(/hookSettings.command/);
    expect(() => hookSettings('x', { timeoutSec: -1 })).toThrow(/hookSettings.timeoutSec/);
  });

  it('quotes shell metacharacters', () => {
    expect(shellQuote('$(rm -rf /); `id`')).toBe("'$(rm -rf /); `id`'");
    expect(shellQuote('/plain/path-1.js')).toBe('/plain/path-1.js');
    expect(shellQuote('')).toBe("''");
  });
});

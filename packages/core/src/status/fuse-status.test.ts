import { describe, expect, it } from 'vitest';
import type { StatusEvidence } from '../spec/agent-status.js';
import { explainStatus, fuseStatus } from './fuse-status.js';

const ev = (source: StatusEvidence['source'], state: StatusEvidence['state'], at: string, strength: StatusEvidence['strength'], rule = `${source}.${state}`): StatusEvidence => ({
  source,
  state,
  rule,
  at: `2026-11-21T10:00:${at}.000Z`,
  strength,
});

describe('fuseStatus', () => {
  it('is unknown with no evidence', () => {
    const f = fuseStatus([]);
    expect(f.status.state).toBe('unknown');
    expect(f.rule).toBe('no-evidence');
    expect(f.status.decidedBy).toBeUndefined();
  });

  it('a strong hook beats older and slightly newer weak evidence', () => {
    const hook = ev('hook', 'waiting-permission', '10', 'strong');
    const f = fuseStatus([ev('transcript', 'working', '09', 'weak'), hook, ev('pane', 'working', '12', 'weak')]);
    expect(f.status.state).toBe('waiting-permission');
    expect(f.status.decidedBy).toBe(hook);
    expect(f.rule).toBe('freshest-strong');
  });

  it('weak evidence clearly newer than the last strong one overrides it (an interrupt fires no hook)', () => {
    const f = fuseStatus([ev('hook', 'working', '00', 'strong'), ev('transcript', 'idle', '20', 'weak')]);
    expect(f.status.state).toBe('idle');
    expect(f.rule).toBe('newer-weak-overrides-strong');
  });

  it('the override window is configurable', () => {
    const f = fuseStatus([ev('hook', 'working', '00', 'strong'), ev('transcript', 'idle', '20', 'weak')], { weakOverrideMs: 60_000 });
    expect(f.status.state).toBe('working');
  });

  it('newer contradicting strong evidence wins: a pane permission prompt after a PreToolUse hook', () => {
    const f = fuseStatus([ev('hook', 'working', '00', 'strong'), ev('pane', 'waiting-permission', '03', 'strong')]);
    expect(f.status.state).toBe('waiting-permission');
    expect(f.status.decidedBy?.source).toBe('pane');
  });

  it('without strong evidence the freshest weak one wins', () => {
    const f = fuseStatus([ev('transcript', 'working', '01', 'weak'), ev('pane', 'idle', '05', 'weak')]);
    expect(f.status.state).toBe('idle');
    expect(f.rule).toBe('freshest-weak');
  });

  it('equal times prefer the hook over the transcript', () => {
    const f = fuseStatus([ev('transcript', 'idle', '05', 'strong'), ev('hook', 'working', '05', 'strong')]);
    expect(f.status.decidedBy?.source).toBe('hook');
  });

  it('a gone process is exited whatever else was seen, and keeps the other evidence', () => {
    const f = fuseStatus([ev('hook', 'working', '05', 'strong')], { alive: false, now: new Date('2026-11-21T10:01:00Z') });
    expect(f.status.state).toBe('exited');
    expect(f.rule).toBe('process-exited');
    expect(f.status.evidence.map((e) => e.source)).toEqual(['process', 'hook']);
  });

  it('orders evidence freshest first', () => {
    const f = fuseStatus([ev('transcript', 'working', '01', 'weak'), ev('pane', 'idle', '09', 'weak'), ev('hook', 'idle', '05', 'strong')]);
    expect(f.status.evidence.map((e) => e.source)).toEqual(['pane', 'hook', 'transcript']);
  });
});

describe('explainStatus', () => {
  it('names the deciding source, the rule, and what the others said', () => {
    const text = explainStatus(fuseStatus([ev('hook', 'waiting-permission', '10', 'strong', 'claude.hook.Notification.permission_prompt'), ev('transcript', 'working', '09', 'weak', 'claude.transcript.tool_use')]));
    expect(text).toMatch(/^waiting-permission, decided by hook: waiting-permission \(claude\.hook\.Notification\.permission_prompt, strong/);
    expect(text).toContain('freshest strong evidence');
    expect(text).toContain('transcript said: working (claude.transcript.tool_use, weak');
    expect(text).toContain('pane said nothing');
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claudeEvidenceFromSignal, claudeStatusFromPane } from './status.js';

const pane = (name: string) => readFileSync(fileURLToPath(new URL(`./__fixtures__/panes/${name}.txt`, import.meta.url)), 'utf8');
const AT = new Date('2026-11-20T12:00:00.000Z');

describe('claudeStatusFromPane', () => {
  it.each([
    ['fake-permission', 'waiting-permission', 'claude.pane.permission-prompt', 'strong', 'Do you want to proceed?'],
    ['fake-working', 'working', 'claude.pane.spinner', 'strong', 'esc to interrupt'],
    ['fake-idle', 'idle', 'claude.pane.input-prompt', 'weak', '>'],
    ['fake-error', 'error', 'claude.pane.error', 'weak', 'overloaded_error'],
    ['real-working', 'working', 'claude.pane.spinner', 'strong', 'Reticulating'],
    ['real-edit-permission', 'waiting-permission', 'claude.pane.permission-prompt', 'strong', 'make this edit'],
    ['real-trust', 'waiting-permission', 'claude.pane.permission-prompt', 'strong', 'Do you trust the files'],
    ['real-idle', 'idle', 'claude.pane.input-prompt', 'weak', 'Try "write a test'],
    ['real-error', 'error', 'claude.pane.error', 'weak', 'API Error: 500'],
  ])('%s → %s', (name, state, rule, strength, detail) => {
    const ev = claudeStatusFromPane(pane(name), AT);
    expect(ev).toMatchObject({ source: 'pane', state, rule, strength, at: AT.toISOString() });
    expect(ev?.detail).toContain(detail);
  });

  it('returns null for a plain shell or an empty pane', () => {
    expect(claudeStatusFromPane(pane('shell'), AT)).toBeNull();
    expect(claudeStatusFromPane('', AT)).toBeNull();
    expect(claudeStatusFromPane('\n\n\n', AT)).toBeNull();
  });

  it('ignores a spinner that has scrolled far above the bottom', () => {
    const old = ['✻ Thinking… (3s · esc to interrupt)', ...Array.from({ length: 40 }, (_, i) => `line ${i}`), '> ', '  ? for shortcuts'];
    expect(claudeStatusFromPane(old.join('\n'), AT)).toMatchObject({ state: 'idle' });
  });

  it('does not treat a numbered list in an answer as a permission prompt', () => {
    const text = ['⏺ Would you like to pick one?', '  1. Option one', '  2. Option two', '', '> ', '  ? for shortcuts'].join('\n');
    expect(claudeStatusFromPane(text, AT)?.state).toBe('idle');
  });

  it('masks secrets in the detail', () => {
    const text = ['  ⎿  API Error: 401 Invalid API key sk-ant-abcdefghijklmnop', '', '> ', '  ? for shortcuts'].join('\n');
    const ev = claudeStatusFromPane(text, AT);
    expect(ev?.state).toBe('error');
    expect(ev?.detail).not.toContain('abcdefghijklmnop');
  });
});

describe('claudeEvidenceFromSignal', () => {
  it('keeps the rule, time and detail as weak transcript evidence', () => {
    expect(claudeEvidenceFromSignal({ state: 'idle', rule: 'claude.transcript.end_turn', at: '2026-11-20T12:00:00.000Z', detail: 'x' })).toEqual({
      source: 'transcript', state: 'idle', rule: 'claude.transcript.end_turn', at: '2026-11-20T12:00:00.000Z', strength: 'weak', detail: 'x',
    });
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CompactMessage } from './message-model.js';
import { signalFromMessage, statusFromPane } from './status.js';

const pane = (name: string): string => readFileSync(fileURLToPath(new URL(`./__fixtures__/panes/${name}`, import.meta.url)), 'utf8');
const AT = new Date('2026-11-21T10:00:00.000Z');

describe('statusFromPane', () => {
  const cases: Array<[string, string | null, string | null]> = [
    ['real-working.txt', 'working', 'gemini.pane.spinner'],
    ['real-permission-shell.txt', 'waiting-permission', 'gemini.pane.permission-prompt'],
    ['real-permission-edit.txt', 'waiting-permission', 'gemini.pane.permission-prompt'],
    ['real-idle.txt', 'idle', 'gemini.pane.idle-prompt'],
    ['real-idle-draft.txt', 'idle', 'gemini.pane.idle-prompt'],
    ['real-api-error.txt', 'error', 'gemini.pane.api-error'],
    ['scrollback-old-error-then-answer.txt', 'idle', 'gemini.pane.idle-prompt'],
    ['fake-working.txt', 'working', 'gemini.pane.spinner'],
    ['fake-idle.txt', 'idle', 'gemini.pane.idle-prompt'],
    ['fake-permission.txt', 'waiting-permission', 'gemini.pane.permission-prompt'],
    ['fake-error.txt', 'error', 'gemini.pane.api-error'],
    ['unrelated-shell.txt', null, null],
  ];
  for (const [file, state, rule] of cases) {
    it(`${file} → ${state ?? 'null'}`, () => {
      const ev = statusFromPane(pane(file), AT);
      if (state === null) {
        expect(ev).toBeNull();
        return;
      }
      expect(ev).toMatchObject({ source: 'pane', state, rule, at: AT.toISOString() });
      expect((ev?.detail ?? '').length).toBeLessThanOrEqual(120);
    });
  }

  it('permission prompts and spinners are strong, idle and errors weak', () => {
    expect(statusFromPane(pane('real-permission-shell.txt'), AT)?.strength).toBe('strong');
    expect(statusFromPane(pane('real-working.txt'), AT)?.strength).toBe('strong');
    expect(statusFromPane(pane('real-idle.txt'), AT)?.strength).toBe('weak');
  });

  it('ignores ANSI colour codes and an empty screen', () => {
    expect(statusFromPane('\u001b[32m⠋ Thinking...\u001b[0m (esc to cancel, 2s)\n', AT)?.state).toBe('working');
    expect(statusFromPane('', AT)).toBeNull();
  });

  it('reads the newer "Action Required" prompt with Allow choices', () => {
    const screen = ['╭────╮', '│ Action Required                 │', '│ ?  WebFetch https://example.com │', '│ ● 1. Allow once                 │', '│   2. Allow for this session     │', '│   3. No, suggest changes (esc)  │', '╰────╯'].join('\n');
    expect(statusFromPane(screen, AT)?.state).toBe('waiting-permission');
  });

  it('does not take a question without numbered choices for a permission prompt', () => {
    expect(statusFromPane('✦ Should I Apply this change? Let me know.\n', AT)).toBeNull();
  });
});

describe('signalFromMessage (transcript tail rules)', () => {
  const msg = (over: Partial<CompactMessage>): CompactMessage => ({ id: 'm', type: 'gemini', known: true, text: '', toolCalls: [], ...over });
  const call = (status: string) => ({ id: 'c', name: 'run_shell_command', status, inputSummary: 'ls' });
  const at = '2026-11-21T10:00:00.000Z';
  it.each([
    [msg({ type: 'user' }), 'working', 'gemini.transcript.user-prompt'],
    [msg({}), 'idle', 'gemini.transcript.end-of-turn'],
    [msg({ toolCalls: [call('awaiting_approval')] }), 'waiting-permission', 'gemini.transcript.tool-awaiting-approval'],
    [msg({ toolCalls: [call('success'), call('executing')] }), 'working', 'gemini.transcript.tool-executing'],
    [msg({ toolCalls: [call('scheduled')] }), 'working', 'gemini.transcript.tool-scheduled'],
    [msg({ toolCalls: [call('validating')] }), 'working', 'gemini.transcript.tool-validating'],
    [msg({ toolCalls: [call('success')] }), 'working', 'gemini.transcript.tool-result'],
    [msg({ toolCalls: [call('error')] }), 'working', 'gemini.transcript.tool-result'],
    [msg({ toolCalls: [call('cancelled')] }), 'idle', 'gemini.transcript.tool-cancelled'],
    [msg({ type: 'error', text: '[API Error: quota]' }), 'error', 'gemini.transcript.error-message'],
    [msg({ type: 'info', text: 'Request cancelled.' }), 'idle', 'gemini.transcript.request-cancelled'],
  ])('%#', (m, state, rule) => {
    expect(signalFromMessage(m, at)).toMatchObject({ state, rule, at });
  });
  it('gives no signal for warnings, plain info and unknown types', () => {
    expect(signalFromMessage(msg({ type: 'warning' }), at)).toBeNull();
    expect(signalFromMessage(msg({ type: 'info', text: 'Switched model' }), at)).toBeNull();
    expect(signalFromMessage(msg({ type: 'tool_group', known: false }), at)).toBeNull();
  });
});

describe('recorded fake screens', () => {
  it.each([
    ['recorded-fake-permission.txt', 'waiting-permission'],
    ['recorded-fake-idle.txt', 'idle'],
    ['recorded-fake-error.txt', 'error'],
    ['recorded-fake-working.txt', 'working'],
  ])('%s → %s', (file, state) => {
    expect(statusFromPane(pane(file), AT)?.state).toBe(state);
  });
});

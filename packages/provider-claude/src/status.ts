import type { AgentState, StatusEvidence, TranscriptSignal } from '@agentmux/core';
import { redactSecrets, truncateText } from './tool-summary.js';

/**
 * Status from Claude Code's screen (`tmux capture-pane -p`). Only the bottom of the pane is read, so old scrollback
 * cannot decide. Order: a permission prompt (question + numbered choices) beats a spinner ("esc to interrupt"),
 * which beats an error shown just above the input box, which beats the idle input box.
 */

/** How many lines from the bottom the pane rules look at. */
export const PANE_TAIL_LINES = 30;

const BOX_EDGE = /^[\s│|┃╭╰╮╯─━]*|[\s│|┃╭╰╮╯─━]*$/g;
const QUESTION = /\b(Do you want to|Would you like to|Do you trust)\b[^?]*\?/i;
const CHOICE = /^(?:[❯>›▶]\s*)?(\d)[.)]\s+\S/;
const SPINNER = /\b(?:esc|ctrl\+c) to interrupt\b/i;
const PROMPT = /^[>❯›](?!\s*\d[.)]\s)\s?(?:\S.*)?$/;
const IDLE_FOOTER = /\?\s+for shortcuts|accept edits on|plan mode on|bypass permissions on|auto-accept edits on/i;
const ERROR = /\bAPI Error\b|overloaded_error|context_window_exceeded|Credit balance is too low|usage limit reached|Invalid API key|Please run \/login|OAuth token has expired|Prompt is too long/i;

function clean(line: string): string {
  return line.replace(BOX_EDGE, '');
}

function evidence(state: AgentState, rule: string, at: Date, strength: 'strong' | 'weak', line: string): StatusEvidence {
  return { source: 'pane', state, rule, at: at.toISOString(), strength, detail: truncateText(redactSecrets(line), 120) };
}

/** Reads the agent's state from visible pane text; `null` when no rule matches. */
export function claudeStatusFromPane(text: string, at: Date = new Date()): StatusEvidence | null {
  const all = text.split(/\r?\n/).map(clean);
  while (all.length > 0 && (all.at(-1) ?? '').length === 0) all.pop();
  const lines = all.slice(-PANE_TAIL_LINES);

  const question = lines.findLastIndex((l) => QUESTION.test(l) && !/^[>❯›]\s/.test(l));
  if (question >= 0) {
    const after = lines.slice(question + 1);
    const choices = after.filter((l) => CHOICE.test(l)).map((l) => CHOICE.exec(l)?.[1]);
    // A live prompt replaces the input box: an input line or footer below it means it is old scrollback.
    const inputBelow = after.some((l) => (PROMPT.test(l) && !CHOICE.test(l)) || IDLE_FOOTER.test(l));
    if (choices.includes('1') && choices.includes('2') && !inputBelow) {
      return evidence('waiting-permission', 'claude.pane.permission-prompt', at, 'strong', lines[question] ?? '');
    }
  }
  const spinner = lines.findLastIndex((l) => SPINNER.test(l));
  if (spinner >= 0) return evidence('working', 'claude.pane.spinner', at, 'strong', lines[spinner] ?? '');

  const prompt = lines.findLastIndex((l) => PROMPT.test(l));
  const footer = lines.findLastIndex((l) => IDLE_FOOTER.test(l));
  const boxAt = prompt >= 0 ? prompt : footer;
  const errorWindow = boxAt >= 0 ? lines.slice(Math.max(0, boxAt - 6), boxAt) : lines.slice(-8);
  const error = errorWindow.findLast((l) => ERROR.test(l));
  if (error !== undefined) return evidence('error', 'claude.pane.error', at, 'weak', error);
  if (prompt >= 0) return evidence('idle', 'claude.pane.input-prompt', at, 'weak', lines[prompt] ?? '');
  if (footer >= 0) return evidence('idle', 'claude.pane.footer', at, 'weak', lines[footer] ?? '');
  return null;
}

/**
 * The transcript rules of the Claude reader (signal `rule` → the state it reports), per formats.md "Status
 * signals". The transcript cannot tell a running tool from one waiting for approval (`tool_use` → working): the
 * pane's permission prompt or a `Notification` hook disambiguates.
 */
export const CLAUDE_TRANSCRIPT_RULES: Readonly<Record<string, AgentState>> = {
  'claude.transcript.user-prompt': 'working',
  'claude.transcript.assistant': 'working',
  'claude.transcript.tool_use': 'working',
  'claude.transcript.tool_result': 'working',
  'claude.transcript.queued-prompt': 'working',
  'claude.transcript.end_turn': 'idle',
  'claude.transcript.stop_sequence': 'idle',
  'claude.transcript.refusal': 'idle',
  'claude.transcript.turn_duration': 'idle',
  'claude.transcript.interrupted': 'idle',
  'claude.transcript.compact_boundary': 'working', // `idle` after a manual /compact
  'claude.transcript.api-error': 'error',
  'claude.transcript.system-error': 'error',
  'claude.transcript.system-api_error': 'error',
  'claude.transcript.system-error-text': 'error',
};

/** Turns the freshest transcript signal into status evidence (weak: the transcript lags behind hooks). */
export function claudeEvidenceFromSignal(signal: TranscriptSignal): StatusEvidence {
  const ev: StatusEvidence = { source: 'transcript', state: signal.state, rule: signal.rule, at: signal.at, strength: 'weak' };
  if (signal.detail !== undefined) ev.detail = signal.detail;
  return ev;
}

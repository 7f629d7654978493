import type { AgentState, StatusEvidence, TranscriptSignal } from '@agentmux/core';
import { shorten } from './tool-summary.js';

/**
 * Reading Codex's TUI screen. Real screens (Codex ≥ 0.40):
 * - working: a status line `• Working (12s • esc to interrupt)` above the composer (older: `Thinking…`);
 * - approval: a modal replacing the composer — `Would you like to run the following command?` /
 *   `… make the following edits?` / `… grant these permissions?`, numbered choices
 *   `› 1. Yes, proceed (y)` … `3. No, and tell Codex what to do differently (esc)` and the footer
 *   `Press enter to confirm or esc to cancel` (older: `Allow command?` with `Yes (y)` / `No (n)`);
 * - idle: the composer `› Ask Codex to do anything` (or `▌ …`) with a footer like `? for shortcuts`,
 *   `100% context left` or `⏎ send`, and no working line.
 * A prompt that was answered stays in the scrollback above the composer, so only what is below the last
 * composer line — or a modal with no composer under it — counts.
 */

const PERMISSION_MARKERS: readonly RegExp[] = [
  /Would you like to (?:run the following command|make the following edits|grant these permissions|allow)/i,
  /\bAllow (?:command|Codex to)\b.*\?/i,
  /Codex needs your (?:input|approval)/i,
  /Press enter to confirm or esc to cancel/i,
];
const WORKING = [/\besc to interrupt\b/i, /^\s*[•◦·⠁-⣿*]\s*(?:Working|Thinking|Running|Exploring|Editing)\b.*\(\d+s/i];
const COMPOSER = [/^\s*[›❯▌>]\s*(?:Ask Codex to do anything|Find and fix a bug|Explain this codebase|Summarize recent commits|Implement \{feature\}|Write tests for|Improve documentation|Run \/review)/i];
const COMPOSER_FOOTER = [/\? for shortcuts/i, /\d+% context left/i, /⏎ send/, /ctrl \+ j newline|⌃J newline/i];
const ERROR_LINE = /^\s*■\s*(.*(?:error|unexpected status|usage limit|rate limit|unauthorized|failed|disconnected).*)$/i;

function evidence(state: AgentState, rule: string, at: Date, strength: 'strong' | 'weak', detail?: string): StatusEvidence {
  return { source: 'pane', state, rule: `codex.pane.${rule}`, at: at.toISOString(), strength, ...(detail ? { detail: shorten(detail, 120) } : {}) };
}

const lastIndex = (lines: readonly string[], tests: readonly RegExp[]): number => {
  for (let i = lines.length - 1; i >= 0; i--) if (tests.some((t) => t.test(lines[i] as string))) return i;
  return -1;
};

/** Reads status from Codex's visible pane text; `null` when nothing recognisable is on screen. */
export function codexStatusFromPane(text: string, at: Date = new Date()): StatusEvidence | null {
  // Strip ANSI escapes in case the capture kept them.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\u001b\][^\u0007]*\u0007/g, '');
  const lines = clean.split(/\r?\n/);
  const composer = Math.max(lastIndex(lines, COMPOSER), lastIndex(lines, COMPOSER_FOOTER));
  // An approval modal replaces the composer: a heading or footer with no composer below it.
  const permission = lastIndex(lines, PERMISSION_MARKERS);
  if (permission >= 0 && permission > composer) {
    const headingAt = lastIndex(lines, PERMISSION_MARKERS.slice(0, 3));
    const heading = headingAt > composer ? lines[headingAt] : lines[permission];
    return evidence('waiting-permission', 'approval-prompt', at, 'strong', heading?.trim());
  }
  const working = lastIndex(lines, WORKING);
  if (working >= 0 && (composer < 0 || working >= composer - 6)) {
    return evidence('working', 'esc-to-interrupt', at, 'strong', lines[working]?.trim());
  }
  if (composer >= 0) {
    const errorLine = lastIndex(lines.slice(0, composer + 1), [ERROR_LINE]);
    if (errorLine >= 0 && composer - errorLine <= 8) {
      return evidence('error', 'error-line', at, 'weak', ERROR_LINE.exec(lines[errorLine] as string)?.[1]);
    }
    return evidence('idle', 'composer', at, 'weak');
  }
  return null;
}

/**
 * Transcript-tail rules: which rollout record points to which state. The reader emits one signal per
 * matching record (rule `codex.transcript.<name>`); the last signal is the freshest.
 * - `user_message`, `task_started`, `reasoning`, `tool_call` (function/custom/local shell call requested, no
 *   result yet: running or waiting for approval), `tool_output` (a result arrived) → working;
 * - `turn_end` (a token_count closing a response that had a final message, no tool call and nothing pending),
 *   `task_complete`, `turn_aborted` → idle;
 * - an approval request event (`exec_approval_request`, `apply_patch_approval_request`, …), when a version
 *   writes one → waiting-permission;
 * - `error` → error.
 */
export const CODEX_TRANSCRIPT_RULES = {
  user_message: 'working',
  task_started: 'working',
  reasoning: 'working',
  tool_call: 'working',
  tool_output: 'working',
  turn_end: 'idle',
  task_complete: 'idle',
  turn_aborted: 'idle',
  exec_approval_request: 'waiting-permission',
  apply_patch_approval_request: 'waiting-permission',
  elicitation_request: 'waiting-permission',
  request_permissions: 'waiting-permission',
  request_user_input: 'waiting-permission',
  ask_user_question_request: 'waiting-permission',
  error: 'error',
} as const satisfies Record<string, AgentState>;

/** Name of a transcript-tail rule. */
export type CodexTranscriptRule = keyof typeof CODEX_TRANSCRIPT_RULES;

/** Builds the signal of a transcript-tail rule (detail shortened, secrets redacted). */
export function codexTranscriptSignal(rule: CodexTranscriptRule, at: string, detail?: string): TranscriptSignal {
  return { state: CODEX_TRANSCRIPT_RULES[rule], rule: `codex.transcript.${rule}`, at, ...(detail ? { detail: shorten(detail, 120) } : {}) };
}

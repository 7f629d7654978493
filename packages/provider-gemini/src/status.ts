import type { StatusEvidence, TranscriptSignal } from '@agentmux/core';
import type { CompactMessage } from './message-model.js';
import { truncate } from './redact.js';

const RUNNING_TOOL = new Set(['validating', 'scheduled', 'executing']);

/**
 * Transcript-tail rule for one message that is (now) the last in the session:
 * - `user` → working (`gemini.transcript.user-prompt`);
 * - `gemini` with a tool call `awaiting_approval` → waiting-permission;
 * - `gemini` with a tool call `validating`/`scheduled`/`executing` → working;
 * - `gemini` with a `cancelled` tool call → idle (the user aborted; the CLI waits for input);
 * - `gemini` whose tool calls all finished (`success`/`error`) → working (results go back to the model);
 * - `gemini` without tool calls → idle (end of turn);
 * - `error` → error; `info` saying the request was cancelled → idle. Other types give no signal.
 */
export function signalFromMessage(m: CompactMessage, at: string): TranscriptSignal | null {
  const sig = (state: TranscriptSignal['state'], rule: string, detail?: string): TranscriptSignal => ({
    state,
    rule: `gemini.transcript.${rule}`,
    at,
    ...(detail ? { detail: truncate(detail, 120) } : {}),
  });
  switch (m.type) {
    case 'user':
      return sig('working', 'user-prompt');
    case 'error':
      return sig('error', 'error-message', m.text);
    case 'info':
      return /cancel/i.test(m.text) ? sig('idle', 'request-cancelled') : null;
    case 'gemini': {
      const waiting = m.toolCalls.find((c) => c.status === 'awaiting_approval');
      if (waiting) return sig('waiting-permission', 'tool-awaiting-approval', `${waiting.name} ${waiting.inputSummary}`);
      const running = m.toolCalls.find((c) => RUNNING_TOOL.has(c.status));
      if (running) return sig('working', `tool-${running.status}`, running.name);
      if (m.toolCalls.some((c) => c.status === 'cancelled')) return sig('idle', 'tool-cancelled');
      if (m.toolCalls.length > 0) return sig('working', 'tool-result');
      return sig('idle', 'end-of-turn');
    }
    default:
      return null;
  }
}

/** A pane rule: the state it points to, its strength, and a test on the screen's tail lines. */
interface PaneRule {
  rule: string;
  state: StatusEvidence['state'];
  strength: StatusEvidence['strength'];
  test: (lines: readonly string[]) => string | null;
}

function findLine(lines: readonly string[], re: RegExp): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (re.test(line)) return line;
  }
  return null;
}

const PERMISSION_QUESTION =
  /(Allow execution\b|Apply this change\?|Do you want to proceed\?|Action Required|Allow (this )?(tool|MCP tool)|Waiting for (user )?(approval|confirmation))/i;
const NUMBERED_CHOICE = /^[\s│|>●○◉❯›*-]*1[.)]\s*(Yes|Allow)/i;
const SPINNER = /\((esc|ctrl\+c) to (cancel|interrupt)\b/i;
const ESC_HINT = /\besc to (cancel|interrupt)\b/i;
const API_ERROR = /(\[API Error|API Error:|^\s*[✕✖]\s.*error|Error: .*(quota|exhausted|429|500|503|unavailable))/i;
const IDLE_PROMPT = /(Type your message|^\s*[│|]?\s*[>❯›]\s*(\S.*)?$)/;
const FOOTER = /(context left|no sandbox|sandbox|gemini-[0-9][\w.-]*)/i;

/** Pane rules, most specific first. */
const PANE_RULES: readonly PaneRule[] = [
  {
    rule: 'gemini.pane.permission-prompt',
    state: 'waiting-permission',
    strength: 'strong',
    test: (lines) => {
      const q = findLine(lines, PERMISSION_QUESTION);
      const choice = findLine(lines, NUMBERED_CHOICE);
      return q && choice ? q : null;
    },
  },
  {
    rule: 'gemini.pane.spinner',
    state: 'working',
    strength: 'strong',
    test: (lines) => findLine(lines, SPINNER) ?? findLine(lines, ESC_HINT),
  },
  {
    rule: 'gemini.pane.api-error',
    state: 'error',
    strength: 'weak',
    test: (lines) => {
      // An error counts only when it is the last thing printed above the input box.
      const content = lines.filter((l) => !IDLE_PROMPT.test(l) && !FOOTER.test(l) && !/^[\s╭╮╰╯─│|]*$/.test(l));
      const last = content[content.length - 1];
      return last !== undefined && API_ERROR.test(last) ? last : null;
    },
  },
  {
    rule: 'gemini.pane.idle-prompt',
    state: 'idle',
    strength: 'weak',
    test: (lines) => findLine(lines, /Type your message/i) ?? findLine(lines, /^\s*[│|]\s*[>❯›]\s/),
  },
];

/** How many non-empty lines at the bottom of the screen the rules look at. */
export const PANE_TAIL_LINES = 25;

/**
 * Reads Gemini CLI's screen: a tool confirmation (`Allow execution of: '…'?`, `Apply this change?`,
 * `Do you want to proceed?`, with numbered `1. Yes, allow once` choices) → waiting-permission; the spinner
 * line `… (esc to cancel, 3s)` → working; an API error as the last message above the input box → error;
 * the input box (`> Type your message or @path/to/file`) → idle. `null` when nothing matches. Only the last
 * 25 non-empty lines are considered, so old scrollback cannot decide.
 */
export function statusFromPane(text: string, at: Date = new Date()): StatusEvidence | null {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  const lines = clean
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l.trim().length > 0)
    .slice(-PANE_TAIL_LINES);
  for (const r of PANE_RULES) {
    const hit = r.test(lines);
    if (hit !== null) {
      return { source: 'pane', state: r.state, rule: r.rule, at: at.toISOString(), strength: r.strength, detail: truncate(hit, 120) };
    }
  }
  return null;
}

import { emptyUsage, type HeadlessEvent, type HeadlessOutputParser, type SkipCounts, type ToolSpan, type Turn, type UsageRecord } from '@agentmux/core';
import { CODEX_PROVIDER_ID } from './paths.js';
import { normalizeCodexUsage, type RawTokens } from './token-usage.js';
import { ERROR_MESSAGE_MAX, INPUT_SUMMARY_MAX, shorten } from './tool-summary.js';
import { TURN_TEXT_MAX } from './turn-builder.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

/** `bash -lc "ls -la"` / `bash -lc 'ls -la'` → `ls -la` (Codex prints the shell-joined argv). */
export function unwrapShellCommand(command: string): string {
  const m = /^(?:\/\S*\/)?(?:bash|sh|zsh)\s+-l?c\s+([\s\S]+)$/.exec(command.trim());
  const rest = m?.[1];
  if (!rest) return command;
  if (rest.startsWith('"')) {
    try {
      const inner: unknown = JSON.parse(rest);
      if (typeof inner === 'string') return inner;
    } catch {
      // not JSON-quoted: fall through
    }
  }
  if (rest.startsWith("'") && rest.endsWith("'")) return rest.slice(1, -1).replace(/'\\''/g, "'");
  return rest;
}

function toolOf(item: Json): { name: string; summary: string } {
  switch (item.type) {
    case 'command_execution':
      return { name: 'shell', summary: shorten(unwrapShellCommand(str(item.command) ?? ''), INPUT_SUMMARY_MAX) };
    case 'file_change': {
      const changes = Array.isArray(item.changes) ? item.changes.filter(isObject) : [];
      return { name: 'apply_patch', summary: shorten(changes.map((c) => `${str(c.kind) ?? 'update'} ${str(c.path) ?? '?'}`).join(', '), INPUT_SUMMARY_MAX) };
    }
    case 'mcp_tool_call':
      return { name: `${str(item.server) ?? 'mcp'}.${str(item.tool) ?? 'tool'}`, summary: '' };
    case 'web_search':
      return { name: 'web_search', summary: shorten(str(item.query) ?? '', INPUT_SUMMARY_MAX) };
    default:
      return { name: String(item.type), summary: '' };
  }
}

const TOOL_ITEMS = new Set(['command_execution', 'file_change', 'mcp_tool_call', 'web_search']);
const QUIET_ITEMS = new Set(['reasoning', 'todo_list']);

function itemError(item: Json): string | null {
  const status = str(item.status);
  const exit = item.exit_code;
  if (item.type === 'command_execution' && typeof exit === 'number' && exit !== 0) {
    const out = (str(item.aggregated_output) ?? '').split('\n').find((l) => l.trim().length > 0);
    return shorten(`exit code ${exit}${out ? `: ${out}` : ''}`, ERROR_MESSAGE_MAX);
  }
  if (status === 'failed' || status === 'declined') {
    const err = isObject(item.error) ? str(item.error.message) : str(item.error);
    return shorten(err ?? status, ERROR_MESSAGE_MAX);
  }
  return null;
}

/**
 * Parses `codex exec --json` stdout (`thread.started`, `turn.started`, `item.started|updated|completed`,
 * `turn.completed {usage}`, `turn.failed`, `error`). `turn.completed.usage` is Codex's cumulative total for
 * the thread, so each turn's usage is its difference from the previous `turn.completed` of this run. The
 * JSONL carries no model and no times: `model` comes from the options, times are receive times.
 */
export function createCodexHeadlessParser(options: { prompt?: string; model?: string } = {}): HeadlessOutputParser {
  const skipped: SkipCounts = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  let sessionId = '';
  let turn: Turn | null = null;
  let index = 0;
  let previous: RawTokens | null = null;
  const tools = new Map<string, ToolSpan>();
  const now = () => new Date().toISOString();

  const startTurn = (out: HeadlessEvent[]): Turn => {
    if (turn && turn.endedAt === undefined) return turn;
    turn = { index: index++, sessionId, startedAt: now(), userText: (options.prompt ?? '').slice(0, TURN_TEXT_MAX), assistantText: '', tools: [], usage: emptyUsage(), ...(options.model ? { model: options.model } : {}) };
    tools.clear();
    out.push({ type: 'turn-started', turn: structuredClone(turn) });
    return turn;
  };

  const endTurn = (out: HeadlessEvent[], failed: boolean): void => {
    const t = turn;
    if (!t || t.endedAt !== undefined) return;
    t.endedAt = now();
    if (failed) t.failed = true;
    out.push({ type: 'turn-ended', turn: structuredClone(t) });
  };

  function onItem(kind: string, item: Json, out: HeadlessEvent[]): void {
    const t = startTurn(out);
    const id = str(item.id);
    const type = str(item.type) ?? '';
    if (TOOL_ITEMS.has(type)) {
      if (!id) return skip('missing-id');
      let span = tools.get(id);
      if (!span) {
        const { name, summary } = toolOf(item);
        span = { id, name, inputSummary: summary, startedAt: now(), outcome: 'pending' };
        tools.set(id, span);
        t.tools.push(span);
        out.push({ type: 'tool-started', tool: { ...span } });
      }
      const done = kind === 'item.completed' || (str(item.status) !== undefined && str(item.status) !== 'in_progress');
      if (done && span.outcome === 'pending') {
        const error = itemError(item);
        span.endedAt = now();
        span.outcome = error === null ? 'ok' : 'error';
        if (error !== null) span.errorMessage = error;
        out.push({ type: 'tool-ended', tool: { ...span } });
      }
      return;
    }
    if (type === 'agent_message') {
      if (kind !== 'item.completed') return;
      const text = str(item.text) ?? '';
      t.assistantText = (t.assistantText ? `${t.assistantText}\n\n${text}` : text).slice(0, TURN_TEXT_MAX);
    } else if (type === 'error') {
      out.push({ type: 'error', message: shorten(str(item.message) ?? 'error', ERROR_MESSAGE_MAX) });
    } else if (!QUIET_ITEMS.has(type)) {
      skip('unknown-item-type');
    }
  }

  function onTurnCompleted(line: Json, out: HeadlessEvent[]): void {
    const t = startTurn(out);
    const u = isObject(line.usage) ? line.usage : null;
    if (u) {
      const total: RawTokens = { input: num(u.input_tokens), cached: num(u.cached_input_tokens), output: num(u.output_tokens), reasoning: num(u.reasoning_output_tokens), total: 0 };
      const d = (a: number, b: number | undefined) => Math.max(0, a - (b ?? 0));
      const delta: RawTokens = { input: d(total.input, previous?.input), cached: d(total.cached, previous?.cached), output: d(total.output, previous?.output), reasoning: d(total.reasoning, previous?.reasoning), total: 0 };
      previous = total;
      if (delta.input + delta.cached + delta.output + delta.reasoning > 0) {
        const usage = normalizeCodexUsage(delta);
        t.usage = usage;
        const record: UsageRecord = { timestamp: now(), sessionId, providerId: CODEX_PROVIDER_ID, usage: { ...usage }, turnIndex: t.index, ...(options.model ? { model: options.model } : {}) };
        out.push({ type: 'usage', record });
      }
    } else {
      skip('missing-usage');
    }
    endTurn(out, false);
  }

  return {
    skipped,
    push(raw: string): HeadlessEvent[] {
      const out: HeadlessEvent[] = [];
      const text = raw.trim();
      if (text === '') return out;
      let line: unknown;
      try {
        line = JSON.parse(text);
      } catch {
        skip('invalid-json');
        return out;
      }
      if (!isObject(line) || typeof line.type !== 'string') {
        skip('invalid-record');
        return out;
      }
      switch (line.type) {
        case 'thread.started': {
          const id = str(line.thread_id);
          if (!id) {
            skip('missing-id');
            break;
          }
          sessionId = id;
          if (turn) turn.sessionId = id;
          out.push({ type: 'session-started', sessionId: id, ...(options.model ? { model: options.model } : {}) });
          break;
        }
        case 'turn.started':
          startTurn(out);
          break;
        case 'item.started':
        case 'item.updated':
        case 'item.completed':
          if (!isObject(line.item)) skip('invalid-record');
          else onItem(line.type, line.item, out);
          break;
        case 'turn.completed':
          onTurnCompleted(line, out);
          break;
        case 'turn.failed': {
          const message = isObject(line.error) ? str(line.error.message) : undefined;
          startTurn(out);
          out.push({ type: 'error', message: shorten(message ?? 'turn failed', ERROR_MESSAGE_MAX) });
          endTurn(out, true);
          break;
        }
        case 'error':
          out.push({ type: 'error', message: shorten(str(line.message) ?? 'error', ERROR_MESSAGE_MAX) });
          break;
        default:
          skip('unknown-type');
      }
      return out;
    },
    end(): HeadlessEvent[] {
      const out: HeadlessEvent[] = [];
      if (turn && turn.endedAt === undefined) {
        out.push({ type: 'error', message: 'the run ended without turn.completed' });
        endTurn(out, true);
      }
      return out;
    },
  };
}

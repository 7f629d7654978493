import { addUsage, emptyUsage, type HeadlessEvent, type HeadlessOutputParser, type SkipCounts, type ToolSpan, type Turn, type Usage } from '@agentmux/core';
import { MAX_TURN_TEXT, normalizeTokens } from './message-model.js';
import { GEMINI_PROVIDER_ID } from './paths.js';
import { MAX_SUMMARY, cap, redactSecrets, summarizeToolArgs } from './redact.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

/** The stdout formats of `gemini -p`: one JSON document at the end, or JSONL events as they happen. */
export type GeminiHeadlessFormat = 'json' | 'stream-json';

/**
 * `-p --output-format json` stats: per model `tokens {prompt, candidates, cached, thoughts, tool}` (prompt includes
 * cached). Normalised like the chat records: input = prompt − cached + tool, output = candidates + thoughts.
 * The model with the most tokens is the turn's model.
 */
function usageFromJsonStats(stats: unknown): { usage: Usage; model?: string } {
  const usage = emptyUsage();
  let model: string | undefined;
  let most = -1;
  const models = isObject(stats) && isObject(stats.models) ? stats.models : {};
  for (const [name, entry] of Object.entries(models)) {
    const t = isObject(entry) && isObject(entry.tokens) ? entry.tokens : {};
    addUsage(usage, normalizeTokens({ input: num(t.prompt), output: num(t.candidates), cached: num(t.cached), thoughts: num(t.thoughts), tool: num(t.tool), total: num(t.total) }));
    if (num(t.total) > most) {
      most = num(t.total);
      model = name;
    }
  }
  return { usage, ...(model ? { model } : {}) };
}

/** `stream-json` result stats: `{input_tokens, output_tokens, cached?}`; input excludes cached when it is given. */
function usageFromStreamStats(stats: unknown): Usage {
  const s = isObject(stats) ? stats : {};
  return normalizeTokens({ input: num(s.input_tokens), output: num(s.output_tokens), cached: num(s.cached), thoughts: num(s.thoughts), tool: 0, total: num(s.total_tokens) });
}

/**
 * Parses `gemini -p` stdout into the core's headless events: with `json`, the document printed at the end
 * (`session_id`, `response`, `stats`, `error`); with `stream-json`, the events `init`, `message`, `tool_use`,
 * `tool_result`, `error` and `result`. Bad lines are counted in `skipped`, never thrown.
 */
export function createGeminiHeadlessParser(format: GeminiHeadlessFormat = 'json'): HeadlessOutputParser {
  const skipped: SkipCounts = {};
  const skip = (reason: string): void => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const buffered: string[] = [];
  let sessionId = '';
  let model: string | undefined;
  let turn: Turn | undefined;
  const tools = new Map<string, ToolSpan>();

  const startTurn = (out: HeadlessEvent[], userText: string, at: string): Turn => {
    turn = { index: 0, sessionId, startedAt: at, userText: cap(userText, MAX_TURN_TEXT), assistantText: '', tools: [], usage: emptyUsage() };
    out.push({ type: 'turn-started', turn: structuredClone(turn) });
    return turn;
  };
  const endTurn = (out: HeadlessEvent[], usage: Usage, at: string, failed: boolean): void => {
    const t = turn ?? startTurn(out, '', at);
    t.usage = usage;
    t.endedAt = at;
    if (model) t.model = model;
    if (failed) t.failed = true;
    out.push({ type: 'usage', record: { timestamp: at, sessionId, providerId: GEMINI_PROVIDER_ID, ...(model ? { model } : {}), usage: { ...usage } } });
    out.push({ type: 'turn-ended', turn: structuredClone(t) });
    turn = undefined;
  };

  const streamLine = (line: Json, out: HeadlessEvent[]): void => {
    const at = str(line.timestamp) ?? new Date().toISOString();
    switch (line.type) {
      case 'init':
        sessionId = str(line.session_id) ?? sessionId;
        model = str(line.model) ?? model;
        out.push({ type: 'session-started', sessionId, ...(model ? { model } : {}) });
        return;
      case 'message': {
        const text = str(line.content) ?? '';
        if (line.role === 'user') startTurn(out, text, at);
        else if (line.role === 'assistant') {
          const t = turn ?? startTurn(out, '', at);
          t.assistantText = cap(t.assistantText + text, MAX_TURN_TEXT);
        } else skip('unknown-role');
        return;
      }
      case 'tool_use': {
        const id = str(line.tool_id) ?? `tool-${tools.size}`;
        const tool: ToolSpan = {
          id, name: str(line.tool_name) ?? 'tool', inputSummary: summarizeToolArgs(isObject(line.parameters) ? line.parameters : null), startedAt: at, outcome: 'pending',
        };
        tools.set(id, tool);
        (turn ?? startTurn(out, '', at)).tools.push(tool);
        out.push({ type: 'tool-started', tool: { ...tool } });
        return;
      }
      case 'tool_result': {
        const tool = tools.get(str(line.tool_id) ?? '');
        if (!tool) return skip('orphan-tool-result');
        tool.endedAt = at;
        tool.outcome = line.status === 'success' ? 'ok' : 'error';
        if (tool.outcome === 'error') {
          const err = isObject(line.error) ? str(line.error.message) : str(line.error);
          tool.errorMessage = cap(redactSecrets(err ?? str(line.status) ?? 'error'), MAX_SUMMARY);
        }
        out.push({ type: 'tool-ended', tool: { ...tool } });
        return;
      }
      case 'error':
        out.push({ type: 'error', message: cap(redactSecrets(str(line.message) ?? 'gemini reported an error'), MAX_SUMMARY) });
        return;
      case 'result':
        endTurn(out, usageFromStreamStats(line.stats), at, line.status !== 'success');
        return;
      default:
        skip('unknown-type');
    }
  };

  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };

  return {
    skipped,
    push(raw: string): HeadlessEvent[] {
      if (format === 'json') {
        buffered.push(raw); // one document, printed (pretty) at the end
        return [];
      }
      const out: HeadlessEvent[] = [];
      if (raw.trim() === '') return out;
      const line = parseJson(raw);
      if (!isObject(line)) {
        skip(line === undefined ? 'invalid-json' : 'not-an-object');
        return out;
      }
      streamLine(line, out);
      return out;
    },
    end(): HeadlessEvent[] {
      if (format !== 'json') return [];
      const out: HeadlessEvent[] = [];
      const text = buffered.join('\n').trim();
      if (text === '') return out;
      const doc = parseJson(text);
      if (!isObject(doc)) {
        skip(doc === undefined ? 'invalid-json' : 'not-an-object');
        return out;
      }
      const at = new Date().toISOString();
      sessionId = str(doc.session_id) ?? sessionId;
      const { usage, model: m } = usageFromJsonStats(doc.stats);
      model = m;
      if (sessionId) out.push({ type: 'session-started', sessionId, ...(model ? { model } : {}) });
      const t = startTurn(out, '', at);
      t.assistantText = cap(str(doc.response) ?? '', MAX_TURN_TEXT);
      const error = isObject(doc.error) ? str(doc.error.message) ?? 'gemini reported an error' : undefined;
      if (error) out.push({ type: 'error', message: cap(redactSecrets(error), MAX_SUMMARY) });
      endTurn(out, usage, at, error !== undefined);
      return out;
    },
  };
}

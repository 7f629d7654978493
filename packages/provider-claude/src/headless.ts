import type { HeadlessEvent, HeadlessOutputParser, SkipCounts, ToolSpan, Turn, Usage, UsageRecord } from '@agentmux/core';
import { addUsage, emptyUsage } from '@agentmux/core';
import { summarizeToolInput, toolResultText } from './tool-summary.js';
import { normalizeClaudeUsage } from './usage-normalize.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const MAX_TEXT = 4096;

/**
 * Parses `claude -p --output-format stream-json --verbose` stdout: `system/init` names the session and
 * starts the run's turn; `assistant` lines carry text, `tool_use` blocks and usage (one API response spans
 * several lines with the same `message.id`: usage is deduplicated by max total, as in transcripts); `user`
 * lines carry `tool_result`s; the final `result` ends the turn with the CLI's `total_cost_usd`.
 */
export function createClaudeHeadlessParser(options: { prompt?: string } = {}): HeadlessOutputParser {
  const skipped: SkipCounts = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  let sessionId = '';
  let model: string | undefined;
  let turn: Turn | null = null;
  let ended = false;
  const tools = new Map<string, ToolSpan>();
  const usageByKey = new Map<string, { total: number; usage: Usage }>();

  const now = () => new Date().toISOString();
  const startTurn = (out: HeadlessEvent[]): Turn => {
    if (!turn) {
      turn = { index: 0, sessionId, startedAt: now(), userText: (options.prompt ?? '').slice(0, MAX_TEXT), assistantText: '', tools: [], usage: emptyUsage() };
      out.push({ type: 'turn-started', turn: structuredClone(turn) });
    }
    return turn;
  };
  const turnUsage = (): Usage => {
    const sum = emptyUsage();
    for (const { usage } of usageByKey.values()) addUsage(sum, usage);
    return sum;
  };

  function onAssistant(line: Json, out: HeadlessEvent[]): void {
    const message = line.message;
    if (!isObject(message)) return skip('invalid-message');
    const t = startTurn(out);
    model = str(message.model) ?? model;
    if (model) t.model = model;
    for (const block of Array.isArray(message.content) ? message.content : []) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') {
        t.assistantText = (t.assistantText ? `${t.assistantText}\n${block.text}` : block.text).slice(0, MAX_TEXT);
      } else if (block.type === 'tool_use' && typeof block.id === 'string') {
        if (tools.has(block.id)) continue;
        const tool: ToolSpan = { id: block.id, name: str(block.name) ?? 'unknown', inputSummary: summarizeToolInput(str(block.name) ?? '', block.input), startedAt: now(), outcome: 'pending' };
        tools.set(block.id, tool);
        t.tools.push(tool);
        out.push({ type: 'tool-started', tool: { ...tool } });
      }
    }
    const normalized = normalizeClaudeUsage(message.usage);
    if (!normalized) return;
    const id = str(message.id);
    const key = id ? `${id}:${str(line.request_id) ?? ''}` : undefined;
    const record: UsageRecord = {
      timestamp: now(), sessionId, providerId: 'claude', usage: normalized.usage,
      ...(model ? { model } : {}), ...(key ? { dedupKey: key, dedupPolicy: 'max-total' as const } : {}),
      ...(normalized.fast ? { fast: true } : {}), turnIndex: 0,
    };
    if (key) {
      const before = usageByKey.get(key);
      if (!before || normalized.total > before.total) usageByKey.set(key, { total: normalized.total, usage: normalized.usage });
    } else {
      usageByKey.set(`line:${usageByKey.size}`, { total: normalized.total, usage: normalized.usage });
    }
    out.push({ type: 'usage', record });
  }

  function onUser(line: Json, out: HeadlessEvent[]): void {
    const message = line.message;
    if (!isObject(message)) return skip('invalid-message');
    const t = startTurn(out);
    if (typeof message.content === 'string') {
      if (!t.userText) t.userText = message.content.slice(0, MAX_TEXT);
      return;
    }
    if (!Array.isArray(message.content)) return;
    for (const block of message.content) {
      if (!isObject(block) || block.type !== 'tool_result' || typeof block.tool_use_id !== 'string') continue;
      const tool = tools.get(block.tool_use_id);
      if (!tool || tool.outcome !== 'pending') continue;
      tool.endedAt = now();
      tool.outcome = block.is_error === true ? 'error' : 'ok';
      if (tool.outcome === 'error') tool.errorMessage = toolResultText(block.content, 500);
      out.push({ type: 'tool-ended', tool: { ...tool } });
    }
  }

  function onResult(line: Json, out: HeadlessEvent[]): void {
    const t = startTurn(out);
    t.endedAt = now();
    if (typeof line.result === 'string' && !t.assistantText) t.assistantText = line.result.slice(0, MAX_TEXT);
    if (line.is_error === true) {
      t.failed = true;
      out.push({ type: 'error', message: `claude reported ${str(line.subtype) ?? 'an error'}` });
    }
    t.usage = usageByKey.size > 0 ? turnUsage() : (normalizeClaudeUsage(line.usage)?.usage ?? emptyUsage());
    ended = true;
    const cost = typeof line.total_cost_usd === 'number' && Number.isFinite(line.total_cost_usd) ? { costUsd: line.total_cost_usd } : {};
    out.push({ type: 'turn-ended', turn: structuredClone(t), ...cost });
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
      if (!isObject(line)) {
        skip('not-an-object');
        return out;
      }
      const id = str(line.session_id);
      if (id && !sessionId) {
        sessionId = id;
        out.push({ type: 'session-started', sessionId: id, ...(str(line.model) ? { model: str(line.model) as string } : {}), ...(str(line.cwd) ? { cwd: str(line.cwd) as string } : {}) });
      }
      if (line.type === 'system') {
        if (line.subtype === 'init') {
          model = str(line.model) ?? model;
          startTurn(out);
        }
      } else if (line.type === 'assistant') onAssistant(line, out);
      else if (line.type === 'user') onUser(line, out);
      else if (line.type === 'result') onResult(line, out);
      else skip('unknown-type');
      if (turn && !turn.sessionId) turn.sessionId = sessionId;
      return out;
    },
    end(): HeadlessEvent[] {
      if (!turn || ended) return [];
      const t = turn as Turn;
      t.endedAt = now();
      t.failed = true;
      t.usage = turnUsage();
      ended = true;
      return [{ type: 'error', message: 'the run ended without a result line' }, { type: 'turn-ended', turn: structuredClone(t) }];
    },
  };
}

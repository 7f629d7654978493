import type { ToolSpan, Usage } from '@agentmux/core';
import { GEMINI_MESSAGE_TYPES, type GeminiMessage, type GeminiTokens } from './schema.js';
import { cap, redactSecrets, summarizeToolArgs, truncate } from './redact.js';

/** Turn texts are cut to this many characters (core `Turn.userText` / `assistantText`). */
export const MAX_TURN_TEXT = 4096;

/** A tool call reduced to what turns and signals need. */
export interface CompactToolCall {
  id: string;
  name: string;
  status: string;
  inputSummary: string;
  timestamp?: string;
  errorMessage?: string;
}

/** A message reduced to what turns, usage and signals need (full records are not kept in memory). */
export interface CompactMessage {
  id: string;
  type: string;
  /** Known message type (`user`, `gemini`, …) or false for an unknown one. */
  known: boolean;
  timestamp?: string;
  model?: string;
  text: string;
  tokens?: Usage;
  toolCalls: CompactToolCall[];
}

function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part && typeof part === 'object') {
    const p = part as Record<string, unknown>;
    if (p['thought'] === true) return '';
    if (typeof p['text'] === 'string') return p['text'];
  }
  return '';
}

/** Visible text of a `PartListUnion` (string, one part, or a list of parts); thoughts and non-text parts are dropped. */
export function contentText(content: unknown): string {
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) return content.map(partText).join('');
  return partText(content);
}

function num(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Normalises Gemini `tokens` into the core `Usage`: `cacheRead = cached` (at most `input`),
 * `input = input − cached + tool`, `output = output + thoughts`, `reasoning = thoughts`.
 */
export function normalizeTokens(tokens: GeminiTokens): Usage {
  const input = num(tokens.input);
  const cached = Math.min(num(tokens.cached), input);
  const thoughts = num(tokens.thoughts);
  return {
    input: input - cached + num(tokens.tool),
    output: num(tokens.output) + thoughts,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: cached,
    reasoning: thoughts,
    webSearchRequests: 0,
  };
}

function errorText(result: unknown, resultDisplay: unknown): string {
  if (typeof resultDisplay === 'string' && resultDisplay) return resultDisplay;
  const parts = Array.isArray(result) ? result : [result];
  for (const part of parts) {
    const resp = (part as { functionResponse?: { response?: Record<string, unknown> } } | null)?.functionResponse
      ?.response;
    const err = resp?.['error'] ?? resp?.['output'];
    if (typeof err === 'string' && err) return err;
  }
  return contentText(result);
}

/** Reduces a validated message record. */
export function compactMessage(msg: GeminiMessage): CompactMessage {
  const known = (GEMINI_MESSAGE_TYPES as readonly string[]).includes(msg.type);
  const display = contentText(msg.displayContent);
  const text = cap(redactSecrets(msg.type === 'user' && display ? display : contentText(msg.content)), MAX_TURN_TEXT);
  const out: CompactMessage = { id: msg.id, type: msg.type, known, text, toolCalls: [] };
  if (msg.timestamp) out.timestamp = msg.timestamp;
  if (msg.type !== 'gemini') return out;
  if (msg.model) out.model = msg.model;
  if (msg.tokens) out.tokens = normalizeTokens(msg.tokens);
  for (const call of msg.toolCalls ?? []) {
    const c: CompactToolCall = {
      id: call.id,
      name: call.name,
      status: call.status,
      inputSummary: summarizeToolArgs(call.args),
    };
    if (call.timestamp) c.timestamp = call.timestamp;
    if (call.status === 'error') {
      c.errorMessage = truncate(redactSecrets(errorText(call.result, call.resultDisplay)), 500) || 'error';
    } else if (call.status === 'cancelled') {
      c.errorMessage = 'cancelled';
    }
    out.toolCalls.push(c);
  }
  return out;
}

/** Result of validating one message-shaped value. */
export type ParsedMessage = { ok: true; message: CompactMessage } | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nullishStr = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const optStr = (v: unknown): boolean => v === undefined || typeof v === 'string';
const count = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const nullishCount = (v: unknown): boolean => v === undefined || v === null || count(v);
const content = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string' || Array.isArray(v) || isObj(v);

function tokensOk(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  return isObj(v) && count(v['input']) && count(v['output']) && count(v['cached']) && nullishCount(v['thoughts']) && nullishCount(v['tool']) && nullishCount(v['total']);
}

function thoughtsOk(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  return Array.isArray(v) && v.every((t) => isObj(t) && optStr(t['subject']) && optStr(t['description']) && optStr(t['timestamp']));
}

function toolCallsOk(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  return (
    Array.isArray(v) &&
    v.every(
      (c) =>
        isObj(c) &&
        typeof c['id'] === 'string' &&
        typeof c['name'] === 'string' &&
        typeof c['status'] === 'string' &&
        (c['args'] === undefined || c['args'] === null || isObj(c['args'])) &&
        nullishStr(c['timestamp']) &&
        nullishStr(c['displayName']) &&
        nullishStr(c['description']) &&
        nullishStr(c['agentId']),
    )
  );
}

/**
 * Validates a message-shaped value (a JSONL line with an `id`, or a `messages[]` element) and reduces it.
 * Accepts exactly what `GeminiMessageSchema` accepts (checked by tests) but by hand: it runs on every line,
 * and a schema parse of the whole record (tool results included) costs more than the rest of the reader.
 */
export function parseMessage(value: unknown): ParsedMessage {
  if (!isObj(value)) return { ok: false, reason: 'not-an-object' };
  if (typeof value['id'] !== 'string' || value['id'].length === 0) return { ok: false, reason: 'missing-id' };
  const bad = (field: string): ParsedMessage => ({ ok: false, reason: `invalid-message:${field}` });
  if (typeof value['type'] !== 'string') return bad('type');
  if (!nullishStr(value['timestamp'])) return bad('timestamp');
  if (!content(value['content'])) return bad('content');
  if (!content(value['displayContent'])) return bad('displayContent');
  if (!nullishStr(value['model'])) return bad('model');
  if (!tokensOk(value['tokens'])) return bad('tokens');
  if (!thoughtsOk(value['thoughts'])) return bad('thoughts');
  if (!toolCallsOk(value['toolCalls'])) return bad('toolCalls');
  return { ok: true, message: compactMessage(value as GeminiMessage) };
}

/** Maps a compact tool call to the core `ToolSpan`. */
export function toToolSpan(call: CompactToolCall): ToolSpan {
  const outcome = call.status === 'success' ? 'ok' : call.status === 'error' || call.status === 'cancelled' ? 'error' : 'pending';
  const span: ToolSpan = { id: call.id, name: call.name, inputSummary: call.inputSummary, outcome };
  if (call.timestamp) span.startedAt = call.timestamp;
  if (call.errorMessage && outcome === 'error') span.errorMessage = call.errorMessage;
  return span;
}

/** Stable comparison key of a compact message. */
export function messageSignature(m: CompactMessage): string {
  return JSON.stringify(m);
}

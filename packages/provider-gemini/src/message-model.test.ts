import { describe, expect, it } from 'vitest';
import { normalizeTokens, parseMessage } from './message-model.js';
import { GeminiMessageSchema } from './schema.js';

const base = { id: 'm1', type: 'gemini', timestamp: '2026-01-01T00:00:00.000Z' };
const call = { id: 'c', name: 'read_file', status: 'success', args: { absolute_path: '/a' } };
const SAMPLES: unknown[] = [
  base,
  { ...base, id: '' },
  { ...base, id: 3 },
  { ...base, type: 7 },
  { ...base, type: 'tool_group' },
  { ...base, timestamp: null },
  { ...base, timestamp: 5 },
  { ...base, content: 'x', displayContent: [{ text: 'y' }] },
  { ...base, content: 5 },
  { ...base, displayContent: true },
  { ...base, model: null },
  { ...base, model: 1 },
  { ...base, tokens: null },
  { ...base, tokens: { input: 1, output: 2, cached: 0 } },
  { ...base, tokens: { input: 1, output: 2, cached: 0, thoughts: null, tool: null, total: null } },
  { ...base, tokens: { input: 1.5, output: 2, cached: 0 } },
  { ...base, tokens: { input: -1, output: 2, cached: 0 } },
  { ...base, tokens: { input: 1, output: 2 } },
  { ...base, tokens: [] },
  { ...base, thoughts: null },
  { ...base, thoughts: [{ subject: 's', description: 'd', timestamp: 't', extra: 1 }] },
  { ...base, thoughts: [{ subject: null }] },
  { ...base, thoughts: ['x'] },
  { ...base, toolCalls: null },
  { ...base, toolCalls: [call] },
  { ...base, toolCalls: [{ ...call, args: null, timestamp: null, displayName: null, description: null, agentId: null, result: null }] },
  { ...base, toolCalls: [{ ...call, args: [] }] },
  { ...base, toolCalls: [{ ...call, id: null }] },
  { ...base, toolCalls: [{ ...call, status: undefined }] },
  { ...base, toolCalls: [{ ...call, displayName: 4 }] },
  { ...base, toolCalls: {} },
  { ...base, future: { nested: [1, 2] } },
];

describe('parseMessage', () => {
  it('accepts exactly what GeminiMessageSchema accepts', () => {
    for (const sample of SAMPLES) {
      expect(parseMessage(sample).ok, JSON.stringify(sample)).toBe(GeminiMessageSchema.safeParse(sample).success);
    }
  });

  it('names the offending field', () => {
    expect(parseMessage({ ...base, tokens: { input: 'x' } })).toEqual({ ok: false, reason: 'invalid-message:tokens' });
    expect(parseMessage({ type: 'user' })).toEqual({ ok: false, reason: 'missing-id' });
  });
});

describe('normalizeTokens', () => {
  it('moves cached out of input, adds tool to input and thoughts to output', () => {
    expect(normalizeTokens({ input: 1000, output: 50, cached: 300, thoughts: 20, tool: 7, total: 1077 })).toEqual({
      input: 707, output: 70, cacheRead: 300, reasoning: 20, cacheWrite5m: 0, cacheWrite1h: 0, webSearchRequests: 0,
    });
  });
  it('never goes negative when cached exceeds input', () => {
    expect(normalizeTokens({ input: 10, output: 1, cached: 50 })).toMatchObject({ input: 0, cacheRead: 10 });
  });
});

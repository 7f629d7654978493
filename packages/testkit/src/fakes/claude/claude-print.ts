import type { ClaudeRecord, ClaudeUsage } from '../../records/claude-transcript.js';

/** USD per million tokens: input, output, cache write 5m, cache write 1h, cache read. */
const PRICES: [RegExp, [number, number, number, number, number]][] = [
  [/opus-4-(5|6|7)/, [5, 25, 6.25, 10, 0.5]],
  [/opus/, [15, 75, 18.75, 30, 1.5]],
  [/haiku-4/, [1, 5, 1.25, 2, 0.1]],
  [/sonnet/, [3, 15, 3.75, 6, 0.3]],
];

/** What the real CLI would report as cost (the fake falls back to Sonnet prices for unknown models). */
export function claudeCostUsd(model: string, u: ClaudeUsage): number {
  const p = PRICES.find(([re]) => re.test(model))?.[1] ?? [3, 15, 3.75, 6, 0.3];
  const oneHour = u.cache_creation.ephemeral_1h_input_tokens;
  return (u.input_tokens * p[0] + u.output_tokens * p[1] + (u.cache_creation_input_tokens - oneHour) * p[2] + oneHour * p[3] + u.cache_read_input_tokens * p[4]) / 1e6;
}

/** Accumulates what the `-p` result reports. */
export class ClaudeResultTotals {
  input = 0;
  output = 0;
  cacheCreation = 0;
  cacheRead = 0;
  cache1h = 0;
  cost = 0;
  responses = 0;

  constructor(private readonly model: string) {}

  add(u: ClaudeUsage): void {
    this.input += u.input_tokens;
    this.output += u.output_tokens;
    this.cacheCreation += u.cache_creation_input_tokens;
    this.cacheRead += u.cache_read_input_tokens;
    this.cache1h += u.cache_creation.ephemeral_1h_input_tokens;
    this.cost += claudeCostUsd(this.model, u);
    this.responses++;
  }

  result(o: { sessionId: string; text: string; isError: boolean; durationMs: number; uuid: string }): Record<string, unknown> {
    return {
      type: 'result',
      subtype: o.isError ? 'error_during_execution' : 'success',
      is_error: o.isError,
      duration_ms: Math.round(o.durationMs),
      duration_api_ms: Math.round(o.durationMs * 0.8),
      num_turns: Math.max(1, this.responses),
      result: o.text,
      session_id: o.sessionId,
      total_cost_usd: this.cost,
      usage: {
        input_tokens: this.input, cache_creation_input_tokens: this.cacheCreation, cache_read_input_tokens: this.cacheRead,
        output_tokens: this.output, server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 }, service_tier: 'standard',
        cache_creation: { ephemeral_1h_input_tokens: this.cache1h, ephemeral_5m_input_tokens: this.cacheCreation - this.cache1h },
      },
      modelUsage: {
        [this.model]: {
          inputTokens: this.input, outputTokens: this.output, cacheReadInputTokens: this.cacheRead, cacheCreationInputTokens: this.cacheCreation,
          webSearchRequests: 0, costUSD: this.cost, contextWindow: 200_000,
        },
      },
      permission_denials: [],
      uuid: o.uuid,
    };
  }
}

/** The stream-json event for a transcript record, or undefined when the stream does not carry it. */
export function claudeStreamEvent(record: ClaudeRecord, sessionId: string): Record<string, unknown> | undefined {
  if ((record.type !== 'assistant' && record.type !== 'user') || record.isApiErrorMessage === true) return undefined;
  return { type: record.type, message: record.message, parent_tool_use_id: null, session_id: sessionId, uuid: record.uuid };
}

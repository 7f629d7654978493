import { z } from 'zod';

/**
 * Token usage, normalised across providers so that one price formula fits all of them.
 * `input` never includes cached input; `output` includes reasoning.
 */
export const UsageSchema = z.object({
  /** Uncached input tokens billed at the input price (Codex/Gemini: input minus cached; Gemini adds tool tokens). */
  input: z.number().int().nonnegative(),
  /** Output tokens billed at the output price, reasoning/thoughts included. */
  output: z.number().int().nonnegative(),
  /** Cache writes with a 5-minute lifetime (Claude `ephemeral_5m_input_tokens`, or all cache creation when unsplit). */
  cacheWrite5m: z.number().int().nonnegative(),
  /** Cache writes with a 1-hour lifetime (Claude `ephemeral_1h_input_tokens`). */
  cacheWrite1h: z.number().int().nonnegative(),
  /** Cached input read back (Claude `cache_read_input_tokens`, Codex `cached_input_tokens`, Gemini `cached`). */
  cacheRead: z.number().int().nonnegative(),
  /** Reasoning/thinking tokens: informational, already counted inside `output`. */
  reasoning: z.number().int().nonnegative(),
  /** Server-side web search requests (Claude `server_tool_use.web_search_requests`). */
  webSearchRequests: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

export { addUsage, emptyUsage, totalTokens } from './usage-math.js';

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

/** A usage with every field at zero. */
export function emptyUsage(): Usage {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 };
}

/** Adds `b` into `a` in place and returns `a`. */
export function addUsage(a: Usage, b: Usage): Usage {
  a.input += b.input;
  a.output += b.output;
  a.cacheWrite5m += b.cacheWrite5m;
  a.cacheWrite1h += b.cacheWrite1h;
  a.cacheRead += b.cacheRead;
  a.reasoning += b.reasoning;
  a.webSearchRequests += b.webSearchRequests;
  return a;
}

/** Sum of all token columns that are billed (reasoning is inside output and not added again). */
export function totalTokens(u: Usage): number {
  return u.input + u.output + u.cacheWrite5m + u.cacheWrite1h + u.cacheRead;
}

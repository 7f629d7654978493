import { z } from 'zod';
import { CostSchema } from './cost.js';
import { ToolSpanSchema } from './tool-span.js';
import { UsageSchema } from './usage.js';

/** One user prompt and everything the agent did in answer to it. */
export const TurnSchema = z.object({
  /** 0-based position of the turn in its session. */
  index: z.number().int().nonnegative(),
  /** Session the turn belongs to. */
  sessionId: z.string(),
  /** ISO-8601 time the user prompt was submitted. */
  startedAt: z.string(),
  /** ISO-8601 time the final answer ended; absent while the turn is running. */
  endedAt: z.string().optional(),
  /** The user's prompt text (may be truncated to 4 KB). */
  userText: z.string(),
  /** The assistant's visible text, concatenated (may be truncated to 4 KB). */
  assistantText: z.string(),
  /** Tool calls made during the turn, in order. */
  tools: z.array(ToolSpanSchema),
  /** Deduplicated usage of the turn. */
  usage: UsageSchema,
  /** Cost of the turn; filled by the cost engine, absent from raw parser output. */
  cost: CostSchema.optional(),
  /** Model that answered (the last one seen in the turn). */
  model: z.string().optional(),
  /** True when the turn ended in an error (API error, crash, aborted). */
  failed: z.boolean().optional(),
});
export type Turn = z.infer<typeof TurnSchema>;

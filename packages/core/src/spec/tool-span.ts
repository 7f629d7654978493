import { z } from 'zod';

/** One tool call inside a turn, from request to result. */
export const ToolSpanSchema = z.object({
  /** The tool call id as the CLI wrote it (`toolu_…`, Codex `call_id`, Gemini tool call id). */
  id: z.string(),
  /** Tool name, e.g. `Bash`, `shell`, `run_shell_command`. */
  name: z.string(),
  /** Short human summary of the input (command line, file path), at most 200 characters; never secrets. */
  inputSummary: z.string(),
  /** ISO-8601 time the call was requested. */
  startedAt: z.string().optional(),
  /** ISO-8601 time the result arrived. */
  endedAt: z.string().optional(),
  /** `pending` until a result arrives; `ok` or `error` after. */
  outcome: z.enum(['pending', 'ok', 'error']),
  /** Error message when `outcome` is `error` (truncated). */
  errorMessage: z.string().optional(),
});
export type ToolSpan = z.infer<typeof ToolSpanSchema>;

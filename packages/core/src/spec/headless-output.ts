import type { SkipCounts, UsageRecord } from './transcript.js';
import type { ToolSpan } from './tool-span.js';
import type { Turn } from './turn.js';

/**
 * One event parsed from a non-interactive run's stdout (`claude -p --output-format stream-json`,
 * `codex exec --json`, `gemini -p --output-format json`), in the same shapes as transcript turns.
 */
export type HeadlessEvent =
  /** The CLI named its session (Claude `system/init`, Codex `thread.started`). */
  | { type: 'session-started'; sessionId: string; model?: string; cwd?: string }
  /** The run's turn began; `turn` has no `endedAt` yet. */
  | { type: 'turn-started'; turn: Turn }
  /** A tool call was requested (`outcome: pending`). */
  | { type: 'tool-started'; tool: ToolSpan }
  /** A tool call's result arrived (`outcome: ok | error`). */
  | { type: 'tool-ended'; tool: ToolSpan }
  /** One billable usage record (not yet deduplicated; same rules as the transcript's). */
  | { type: 'usage'; record: UsageRecord }
  /** The turn ended; `turn.usage` holds its deduplicated usage. `costUsd` is the CLI's own figure, if printed. */
  | { type: 'turn-ended'; turn: Turn; costUsd?: number }
  /** The CLI reported an error (the run may still end normally). */
  | { type: 'error'; message: string };

/**
 * Parses one non-interactive run's stdout. Stateful; one parser per run. Bad lines never throw: they are
 * counted in `skipped`.
 */
export interface HeadlessOutputParser {
  /** Feeds one stdout line (without its newline); returns the events it completes. */
  push(line: string): HeadlessEvent[];
  /** Output ended: returns what is left (formats that print one JSON document at the end parse it here). */
  end(): HeadlessEvent[];
  /** Lines skipped, by reason (`invalid-json`, `unknown-type`, …). */
  readonly skipped: SkipCounts;
}

import { z } from 'zod';

/**
 * Zod schemas of what Gemini CLI writes under `<home>/.gemini/tmp/<projectId>/chats/`, as its
 * `chatRecordingService` writes it. Every object is loose: unknown fields are kept and never rejected, so a
 * newer CLI version does not break validation. Fields the CLI may omit or write as `null` are optional /
 * nullable. Exported for tests and other packages that want to validate records.
 */

const nonNegInt = z.number().int().nonnegative();

/** Message types the CLI writes. Others are counted as unknown types by the reader. */
export const GEMINI_MESSAGE_TYPES = ['user', 'info', 'error', 'warning', 'gemini'] as const;
export type GeminiMessageType = (typeof GEMINI_MESSAGE_TYPES)[number];

/** Tool call statuses the CLI writes (`scheduler/types.ts` `Status`). */
export const GEMINI_TOOL_STATUSES = [
  'validating',
  'scheduled',
  'executing',
  'awaiting_approval',
  'success',
  'error',
  'cancelled',
] as const;
export type GeminiToolStatus = (typeof GEMINI_TOOL_STATUSES)[number];

/**
 * `tokens` of a `gemini` message (from the API's usage metadata). `input` includes `cached`;
 * `total = input + output + thoughts + tool`. `thoughts` and `tool` may be absent.
 */
export const GeminiTokensSchema = z
  .object({
    /** `promptTokenCount`: all input, cached included. */
    input: nonNegInt,
    /** `candidatesTokenCount`: visible output. */
    output: nonNegInt,
    /** `cachedContentTokenCount`: input read from the cache. */
    cached: nonNegInt,
    /** `thoughtsTokenCount`: reasoning, billed as output. */
    thoughts: nonNegInt.nullish(),
    /** `toolUsePromptTokenCount`: billed as input. */
    tool: nonNegInt.nullish(),
    /** `totalTokenCount`. */
    total: nonNegInt.nullish(),
  })
  .loose();
export type GeminiTokens = z.infer<typeof GeminiTokensSchema>;

/** One thought summary of a `gemini` message. */
export const GeminiThoughtSchema = z
  .object({ subject: z.string().optional(), description: z.string().optional(), timestamp: z.string().optional() })
  .loose();

/** One tool call of a `gemini` message; re-written with a new `status` as the call progresses. */
export const GeminiToolCallSchema = z
  .object({
    /** Tool call id. */
    id: z.string(),
    /** Tool name, e.g. `run_shell_command`. */
    name: z.string(),
    /** Arguments as the model sent them. */
    args: z.record(z.string(), z.unknown()).nullish(),
    /** Function response parts, once finished. */
    result: z.unknown().optional(),
    /** Lifecycle status (unknown statuses are tolerated). */
    status: z.string(),
    /** ISO-8601 time. */
    timestamp: z.string().nullish(),
    displayName: z.string().nullish(),
    description: z.string().nullish(),
    resultDisplay: z.unknown().optional(),
    agentId: z.string().nullish(),
  })
  .loose();
export type GeminiToolCall = z.infer<typeof GeminiToolCallSchema>;

/** Message content: a string, one part, or a list of parts (`@google/genai` `PartListUnion`). */
export const GeminiContentSchema = z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** One message record (a JSONL line with a string `id`, or an element of `messages[]`). */
export const GeminiMessageSchema = z
  .object({
    /** Message id (non-empty); re-appended copies with the same id replace the earlier one. */
    id: z.string().min(1),
    /** ISO-8601 time the message was created. */
    timestamp: z.string().nullish(),
    /** `user`, `info`, `error`, `warning` or `gemini` (others tolerated). */
    type: z.string(),
    /** What was sent or received. */
    content: GeminiContentSchema.nullish(),
    /** What the UI showed, when it differs from `content`. */
    displayContent: GeminiContentSchema.nullish(),
    /** `gemini` only: model that answered. */
    model: z.string().nullish(),
    /** `gemini` only: token usage, `null` until known. */
    tokens: GeminiTokensSchema.nullish(),
    /** `gemini` only: thought summaries. */
    thoughts: z.array(GeminiThoughtSchema).nullish(),
    /** `gemini` only: tool calls. */
    toolCalls: z.array(GeminiToolCallSchema).nullish(),
  })
  .loose();
export type GeminiMessage = z.infer<typeof GeminiMessageSchema>;

/** Session metadata: line 1 of a JSONL file. */
export const GeminiMetadataRecordSchema = z
  .object({
    /** Session id (a UUID). */
    sessionId: z.string(),
    /** sha256 of the project root. */
    projectHash: z.string(),
    startTime: z.string().nullish(),
    lastUpdated: z.string().nullish(),
    summary: z.string().nullish(),
    /** Workspace directories (subagents record them up front). */
    directories: z.array(z.string()).nullish(),
    kind: z.enum(['main', 'subagent']).nullish(),
  })
  .loose();
export type GeminiMetadataRecord = z.infer<typeof GeminiMetadataRecordSchema>;

/** `{"$set": {...}}`: a metadata update; `$set.messages` is a full checkpoint of the message list. */
export const GeminiSetRecordSchema = z
  .object({
    $set: z
      .object({
        sessionId: z.string().optional(),
        lastUpdated: z.string().nullish(),
        summary: z.string().nullish(),
        directories: z.array(z.string()).nullish(),
        messages: z.array(GeminiMessageSchema).optional(),
      })
      .loose(),
  })
  .loose();
export type GeminiSetRecord = z.infer<typeof GeminiSetRecordSchema>;

/** `{"$rewindTo": "<id>"}`: drops that message and every later one. */
export const GeminiRewindRecordSchema = z.object({ $rewindTo: z.string() }).loose();
export type GeminiRewindRecord = z.infer<typeof GeminiRewindRecordSchema>;

/** Any one line of a JSONL chat file. */
export const GeminiJsonlLineSchema = z.union([
  GeminiRewindRecordSchema,
  GeminiMessageSchema,
  GeminiSetRecordSchema,
  GeminiMetadataRecordSchema,
]);
export type GeminiJsonlLine = z.infer<typeof GeminiJsonlLineSchema>;

/** A legacy pretty-printed `.json` session file (one `ConversationRecord`), rewritten in place by the CLI. */
export const GeminiLegacySessionSchema = GeminiMetadataRecordSchema.extend({
  messages: z.array(GeminiMessageSchema),
}).loose();
export type GeminiLegacySession = z.infer<typeof GeminiLegacySessionSchema>;

/** `<home>/.gemini/projects.json`: project root path → slug used as `<projectId>`. */
export const GeminiProjectsFileSchema = z
  .object({ projects: z.record(z.string(), z.string()) })
  .loose();
export type GeminiProjectsFile = z.infer<typeof GeminiProjectsFileSchema>;

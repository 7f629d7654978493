import { z } from 'zod';

/**
 * Zod schemas of the lines Claude Code writes to `projects/<encoded-cwd>/<sessionId>.jsonl`
 * (see /work/shared/formats.md, "Claude Code"). Every object is loose: unknown fields are allowed and kept,
 * and optional fields accept `null` (seen in old and hand-edited files). Only what the parser relies on is
 * required.
 */

const count = z.number().int().nonnegative();
const optCount = count.nullish();
const optString = z.string().nullish();
const optBool = z.boolean().nullish();

/** ISO-8601 timestamp as Claude writes it (`2025-09-29T12:34:56.789Z`); offsets are accepted too. */
export const ClaudeTimestampSchema = z.iso.datetime({ offset: true });

/** `message.usage` of an assistant line. */
export const ClaudeUsageSchema = z
  .object({
    input_tokens: count,
    output_tokens: count,
    cache_creation_input_tokens: optCount,
    cache_read_input_tokens: optCount,
    cache_creation: z
      .object({ ephemeral_5m_input_tokens: optCount, ephemeral_1h_input_tokens: optCount })
      .loose()
      .nullish(),
    service_tier: optString,
    speed: optString,
    server_tool_use: z
      .object({ web_search_requests: optCount, web_fetch_requests: optCount })
      .loose()
      .nullish(),
  })
  .loose();
export type ClaudeUsage = z.infer<typeof ClaudeUsageSchema>;

/** `{type: "text", text}` content block. */
export const ClaudeTextBlockSchema = z.object({ type: z.literal('text'), text: z.string() }).loose();
/** `{type: "thinking", thinking}` content block (the text may be redacted/empty). */
export const ClaudeThinkingBlockSchema = z
  .object({ type: z.literal('thinking'), thinking: z.string().nullish() })
  .loose();
/** `{type: "tool_use", id: "toolu_…", name, input}` content block of an assistant line. */
export const ClaudeToolUseBlockSchema = z
  .object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string(), input: z.unknown().optional() })
  .loose();
/** `{type: "tool_result", tool_use_id, content, is_error}` content block of a user line. */
export const ClaudeToolResultBlockSchema = z
  .object({
    type: z.literal('tool_result'),
    tool_use_id: z.string().min(1),
    content: z.union([z.string(), z.array(z.unknown())]).nullish(),
    is_error: optBool,
  })
  .loose();
/** Any content block: only `type` is required; specific blocks are checked with the schemas above. */
export const ClaudeContentBlockSchema = z.object({ type: z.string() }).loose();

/** Fields shared by `user` and `assistant` lines. */
const messageLineBase = {
  uuid: optString,
  parentUuid: optString,
  isSidechain: optBool,
  userType: optString,
  cwd: optString,
  sessionId: optString,
  version: optString,
  gitBranch: optString,
  timestamp: ClaudeTimestampSchema,
  entrypoint: optString,
  permissionMode: optString,
  agentId: optString,
  isMeta: optBool,
  isCompactSummary: optBool,
  isApiErrorMessage: optBool,
};

/** A `user` line: a prompt (string or text blocks) or tool results. */
export const ClaudeUserLineSchema = z
  .object({
    type: z.literal('user'),
    ...messageLineBase,
    message: z
      .object({ role: optString, content: z.union([z.string(), z.array(ClaudeContentBlockSchema)]) })
      .loose(),
  })
  .loose();
export type ClaudeUserLine = z.infer<typeof ClaudeUserLineSchema>;

/** `message` of an assistant line. `usage` is checked separately so bad usage never loses the content. */
export const ClaudeAssistantMessageSchema = z
  .object({
    id: optString,
    model: optString,
    role: optString,
    content: z.union([z.string(), z.array(ClaudeContentBlockSchema)]).nullish(),
    stop_reason: optString,
    stop_sequence: optString,
    usage: z.unknown().optional(),
  })
  .loose();

/** An `assistant` line: one content block of one API response (several lines may share `message.id`). */
export const ClaudeAssistantLineSchema = z
  .object({
    type: z.literal('assistant'),
    ...messageLineBase,
    requestId: optString,
    costUSD: z.number().nonnegative().nullish(),
    message: ClaudeAssistantMessageSchema,
  })
  .loose();
export type ClaudeAssistantLine = z.infer<typeof ClaudeAssistantLineSchema>;

/** A `system` line (`compact_boundary`, `turn_duration`, `error`, `api_error`, `informational`, …). */
export const ClaudeSystemLineSchema = z
  .object({
    type: z.literal('system'),
    subtype: optString,
    content: z.unknown().optional(),
    level: optString,
    timestamp: ClaudeTimestampSchema.nullish(),
    uuid: optString,
    sessionId: optString,
    cwd: optString,
    isSidechain: optBool,
    isMeta: optBool,
    durationMs: z.number().nonnegative().nullish(),
    compactMetadata: z
      .object({ trigger: optString, preTokens: z.number().nonnegative().nullish() })
      .loose()
      .nullish(),
  })
  .loose();
export type ClaudeSystemLine = z.infer<typeof ClaudeSystemLineSchema>;

/** A `queue-operation` line: a prompt typed while the agent was busy (`enqueue`) or taken (`dequeue`). */
export const ClaudeQueueOperationLineSchema = z
  .object({
    type: z.literal('queue-operation'),
    operation: z.string(),
    timestamp: ClaudeTimestampSchema.nullish(),
    sessionId: optString,
    content: z.unknown().optional(),
  })
  .loose();
export type ClaudeQueueOperationLine = z.infer<typeof ClaudeQueueOperationLineSchema>;

/** A `summary` line (session title after compaction or resume). */
export const ClaudeSummaryLineSchema = z
  .object({ type: z.literal('summary'), summary: optString, leafUuid: optString })
  .loose();

/** Record types seen in the wild that carry nothing the parser needs; validated only for `type`. */
export const CLAUDE_PASSIVE_LINE_TYPES = [
  'file-history-snapshot',
  'attachment',
  'progress',
  'last-prompt',
  'ai-title',
  'custom-title',
  'permission-mode',
  'tag',
  'agent-name',
] as const;

/** A line of a passive type. */
export const ClaudePassiveLineSchema = z.object({ type: z.enum(CLAUDE_PASSIVE_LINE_TYPES) }).loose();

/** Every record type the parser knows (others are counted in `unknownTypes`). */
export const CLAUDE_KNOWN_LINE_TYPES: readonly string[] = [
  'user',
  'assistant',
  'system',
  'queue-operation',
  'summary',
  ...CLAUDE_PASSIVE_LINE_TYPES,
];

/** Any known Claude transcript line, discriminated by `type`. */
export const ClaudeLineSchema = z.discriminatedUnion('type', [
  ClaudeUserLineSchema,
  ClaudeAssistantLineSchema,
  ClaudeSystemLineSchema,
  ClaudeQueueOperationLineSchema,
  ClaudeSummaryLineSchema,
  ClaudePassiveLineSchema,
]);
export type ClaudeLine = z.infer<typeof ClaudeLineSchema>;

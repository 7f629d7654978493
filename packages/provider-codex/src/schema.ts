import { z } from 'zod';

/**
 * Zod schemas of the records Codex CLI writes to its rollout files
 * (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-…-<uuid>.jsonl`). They are deliberately loose: every object
 * allows unknown fields, and only the fields the parser relies on are typed. Exported so that tests and
 * other packages can validate records.
 */

/** A number that Codex writes as an integer token count; `null` and absent are allowed. */
const count = z.number().nullish();

/** One token usage block (`total_token_usage` / `last_token_usage`). */
export const CodexTokenUsageSchema = z
  .object({
    input_tokens: count,
    cached_input_tokens: count,
    output_tokens: count,
    reasoning_output_tokens: count,
    total_tokens: count,
  })
  .loose();
export type CodexTokenUsage = z.infer<typeof CodexTokenUsageSchema>;

/** `token_count` payload `info`: cumulative and latest usage. */
export const CodexTokenInfoSchema = z
  .object({
    total_token_usage: CodexTokenUsageSchema.nullish(),
    last_token_usage: CodexTokenUsageSchema.nullish(),
    model_context_window: z.number().nullish(),
  })
  .loose();
export type CodexTokenInfo = z.infer<typeof CodexTokenInfoSchema>;

/** `session_meta.payload.git`. */
export const CodexGitInfoSchema = z
  .object({
    commit_hash: z.string().nullish(),
    branch: z.string().nullish(),
    repository_url: z.string().nullish(),
  })
  .loose();

/**
 * `session_meta.payload.source`: a plain string (`cli`, `vscode`, `exec`, `mcp`, `subagent`) or, for
 * subagents, an object such as `{"subagent":"review"}` or
 * `{"subagent":{"thread_spawn":{"parent_thread_id":"…","depth":1}}}`.
 */
export const CodexSessionSourceSchema = z.union([z.string(), z.record(z.string(), z.unknown())]);

/** `session_meta` payload (the first line of a rollout). */
export const CodexSessionMetaPayloadSchema = z
  .object({
    id: z.string().nullish(),
    timestamp: z.string().nullish(),
    cwd: z.string().nullish(),
    originator: z.string().nullish(),
    cli_version: z.string().nullish(),
    source: CodexSessionSourceSchema.nullish(),
    model_provider: z.string().nullish(),
    forked_from_id: z.string().nullish(),
    /** Newer versions: parent thread of a subagent. */
    parent_thread_id: z.string().nullish(),
    /** Newer versions: `user`, `subagent`, … */
    thread_source: z.string().nullish(),
    git: CodexGitInfoSchema.nullish(),
  })
  .loose();
export type CodexSessionMetaPayload = z.infer<typeof CodexSessionMetaPayloadSchema>;

/** `turn_context` payload. */
export const CodexTurnContextPayloadSchema = z
  .object({
    cwd: z.string().nullish(),
    approval_policy: z.unknown().optional(),
    sandbox_policy: z.unknown().optional(),
    model: z.string().nullish(),
    effort: z.string().nullish(),
  })
  .loose();
export type CodexTurnContextPayload = z.infer<typeof CodexTurnContextPayloadSchema>;

/** A content item of a `response_item` message (`input_text`, `output_text`, images, …). */
export const CodexContentItemSchema = z.object({ type: z.string(), text: z.string().nullish() }).loose();

/** `response_item` payload; discriminated by `payload.type`, validated loosely. */
export const CodexResponseItemPayloadSchema = z
  .object({
    type: z.string(),
    role: z.string().nullish(),
    /** Content items (a plain string in a few variants). */
    content: z.union([z.array(CodexContentItemSchema), z.string()]).nullish(),
    name: z.string().nullish(),
    call_id: z.string().nullish(),
    id: z.string().nullish(),
    /** `function_call.arguments`: a JSON string (an object in a few variants). */
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
    /** `custom_tool_call.input`: free text (e.g. an apply_patch body). */
    input: z.string().nullish(),
    /**
     * `function_call_output.output`: a string, an array of content items, or (older versions) an object
     * `{content, success}`.
     */
    output: z.unknown().optional(),
    status: z.string().nullish(),
    action: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
export type CodexResponseItemPayload = z.infer<typeof CodexResponseItemPayloadSchema>;

/** `event_msg` payload; discriminated by `payload.type`, validated loosely. */
export const CodexEventMsgPayloadSchema = z
  .object({
    type: z.string(),
    /** `user_message.message`, `agent_message.message`, `error.message`. */
    message: z.string().nullish(),
    /** `token_count.info`. */
    info: CodexTokenInfoSchema.nullish(),
    rate_limits: z.unknown().optional(),
    /** `turn_aborted.reason`. */
    reason: z.string().nullish(),
    /** `task_complete.last_agent_message`. */
    last_agent_message: z.string().nullish(),
    call_id: z.string().nullish(),
  })
  .loose();
export type CodexEventMsgPayload = z.infer<typeof CodexEventMsgPayloadSchema>;

/** `compacted` payload. */
export const CodexCompactedPayloadSchema = z
  .object({ message: z.string().nullish(), replacement_history: z.array(z.unknown()).nullish() })
  .loose();

const envelope = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
  z.object({ timestamp: z.string(), type: z.literal(type), payload }).loose();

export const CodexSessionMetaLineSchema = envelope('session_meta', CodexSessionMetaPayloadSchema);
export const CodexTurnContextLineSchema = envelope('turn_context', CodexTurnContextPayloadSchema);
export const CodexResponseItemLineSchema = envelope('response_item', CodexResponseItemPayloadSchema);
export const CodexEventMsgLineSchema = envelope('event_msg', CodexEventMsgPayloadSchema);
export const CodexCompactedLineSchema = envelope('compacted', CodexCompactedPayloadSchema);

/** Any known rollout line, discriminated by `type`. */
export const CodexRolloutLineSchema = z.discriminatedUnion('type', [
  CodexSessionMetaLineSchema,
  CodexTurnContextLineSchema,
  CodexResponseItemLineSchema,
  CodexEventMsgLineSchema,
  CodexCompactedLineSchema,
]);
export type CodexRolloutLine = z.infer<typeof CodexRolloutLineSchema>;

/** Top-level record types this package understands. */
export const CODEX_LINE_TYPES = ['session_meta', 'turn_context', 'response_item', 'event_msg', 'compacted'] as const;

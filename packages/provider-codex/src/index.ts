import { createCodexProvider } from './provider.js';

export { createCodexProvider } from './provider.js';
export type { CodexProviderSettings } from './settings.js';
export { resolveCodexSettings, type ResolvedCodexSettings } from './settings.js';

/** The Codex provider with default settings (`CODEX_HOME` / `~/.codex`, `codex` on PATH). */
export const codex = createCodexProvider();

export {
  CODEX_LINE_TYPES,
  CodexCompactedLineSchema,
  CodexCompactedPayloadSchema,
  CodexContentItemSchema,
  CodexEventMsgLineSchema,
  CodexEventMsgPayloadSchema,
  CodexGitInfoSchema,
  CodexResponseItemLineSchema,
  CodexResponseItemPayloadSchema,
  CodexRolloutLineSchema,
  CodexSessionMetaLineSchema,
  CodexSessionMetaPayloadSchema,
  CodexSessionSourceSchema,
  CodexTokenInfoSchema,
  CodexTokenUsageSchema,
  CodexTurnContextLineSchema,
  CodexTurnContextPayloadSchema,
  type CodexEventMsgPayload,
  type CodexResponseItemPayload,
  type CodexRolloutLine,
  type CodexSessionMetaPayload,
  type CodexTokenInfo,
  type CodexTokenUsage,
  type CodexTurnContextPayload,
} from './schema.js';
export { CodexTranscriptReader, DEFAULT_MAX_LINE_BYTES, nodeZstdDecompressor, type CodexReaderOptions, type ZstdDecompressor } from './parser.js';
export { CODEX_PROVIDER_ID, codexHomes, listCodexTranscripts, peekSessionMeta, sessionMetaFacts, threadIdFromFileName, type SessionMetaFacts } from './paths.js';
export { CODEX_MODEL_PREFIXES, codexPrices, isCodexPricedModel, stripCodexModelPrefix } from './pricing.js';
export { matchCodexProcess } from './process.js';
export { DEFAULT_SESSION_MATCH_SKEW_MS, DEFAULT_SESSION_MATCH_WINDOW_MS, matchCodexSession, type SessionMatchOptions } from './session-match.js';
export {
  CODEX_EXEC_OUTPUT_FORMAT,
  buildCodexForkCommand,
  buildCodexResumeCommand,
  buildCodexSpawnCommand,
  execPermissionArgs,
  interactivePermissionArgs,
  type CodexCommandOptions,
} from './spawn.js';
export { CODEX_TRANSCRIPT_RULES, codexStatusFromPane, codexTranscriptSignal, type CodexTranscriptRule } from './status.js';
export { codexTelemetryArgs } from './telemetry.js';
export { findCodexBinary } from './binary.js';
export { createCodexHeadlessParser, unwrapShellCommand } from './headless.js';
export { CodexTokenTracker, normalizeCodexUsage, rawTokens, type RawTokens, type TokenCountResult, type TokenSkipReason } from './token-usage.js';

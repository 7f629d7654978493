export { createGeminiProvider, type GeminiProviderSettings } from './provider.js';
export { gemini } from './default-provider.js';
export {
  GEMINI_MESSAGE_TYPES,
  GEMINI_TOOL_STATUSES,
  GeminiContentSchema,
  GeminiJsonlLineSchema,
  GeminiLegacySessionSchema,
  GeminiMessageSchema,
  GeminiMetadataRecordSchema,
  GeminiProjectsFileSchema,
  GeminiRewindRecordSchema,
  GeminiSetRecordSchema,
  GeminiThoughtSchema,
  GeminiTokensSchema,
  GeminiToolCallSchema,
  type GeminiJsonlLine,
  type GeminiLegacySession,
  type GeminiMessage,
  type GeminiMessageType,
  type GeminiMetadataRecord,
  type GeminiProjectsFile,
  type GeminiRewindRecord,
  type GeminiSetRecord,
  type GeminiTokens,
  type GeminiToolCall,
  type GeminiToolStatus,
} from './schema.js';
export { GeminiTranscriptReader, type GeminiReaderOptions } from './parser.js';
export { normalizeTokens } from './message-model.js';
export {
  GEMINI_PROVIDER_ID,
  geminiDirs,
  geminiTranscriptRoots,
  listGeminiTranscripts,
  projectHash,
  resolveProjectRoot,
} from './paths.js';
export { GEMINI_MODEL_PREFIXES, geminiPrices, isGeminiPriceEntry, stripGeminiModelPrefix } from './pricing.js';
export {
  buildResumeCommand,
  buildSpawnCommand,
  mapPermissionMode,
  type ApprovalMapping,
  type GeminiApprovalMode,
  type GeminiCommandOptions,
  type GeminiOutputFormat,
} from './spawn.js';
export { signalFromMessage, statusFromPane } from './status.js';
export { matchGeminiProcess } from './process.js';
export { DEFAULT_SESSION_MATCH_WINDOW_MS, matchGeminiSession } from './session-match.js';
export { geminiTelemetryEnv } from './telemetry.js';
export { findGeminiBinary, parseVersion, type FindBinaryOptions } from './binary.js';
export { DEFAULT_MAX_LINE_BYTES } from './line-reader.js';
export { createGeminiHeadlessParser, type GeminiHeadlessFormat } from './headless.js';

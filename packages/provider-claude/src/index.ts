import { createClaudeProvider } from './provider.js';

export { createClaudeProvider, type ClaudeProvider } from './provider.js';
export { CLAUDE_BINARY_ENV, ClaudeProviderSettingsSchema, parseClaudeSettings, type ClaudeProviderSettings } from './settings.js';
export {
  CLAUDE_KNOWN_LINE_TYPES,
  CLAUDE_PASSIVE_LINE_TYPES,
  ClaudeAssistantLineSchema,
  ClaudeAssistantMessageSchema,
  ClaudeContentBlockSchema,
  ClaudeLineSchema,
  ClaudePassiveLineSchema,
  ClaudeQueueOperationLineSchema,
  ClaudeSummaryLineSchema,
  ClaudeSystemLineSchema,
  ClaudeTextBlockSchema,
  ClaudeThinkingBlockSchema,
  ClaudeTimestampSchema,
  ClaudeToolResultBlockSchema,
  ClaudeToolUseBlockSchema,
  ClaudeUsageSchema,
  ClaudeUserLineSchema,
  type ClaudeAssistantLine,
  type ClaudeLine,
  type ClaudeQueueOperationLine,
  type ClaudeSystemLine,
  type ClaudeUsage,
  type ClaudeUserLine,
} from './schema.js';
export {
  ClaudeTranscriptReader,
  DEFAULT_MAX_LINE_BYTES,
  openClaudeTranscript,
  type ClaudeReaderOptions,
} from './parser.js';
export type { ClaudeCompaction } from './transcript-assembler.js';
export {
  claudeConfigDirs,
  claudeProjectDirName,
  claudeProjectRoots,
  describeClaudeTranscriptPath,
  listClaudeTranscripts,
} from './paths.js';
export {
  CLAUDE_CONTEXT_SUFFIX,
  CLAUDE_MODEL_DATE_SUFFIX,
  CLAUDE_MODEL_PREFIXES,
  CLAUDE_PROVIDER_PREFIXES,
  claudeModelCandidates,
  claudePrices,
  isClaudeModel,
  isClaudePriceEntry,
} from './pricing.js';
export {
  CLAUDE_PERMISSION_MODES,
  CLAUDE_STREAM_FORMAT,
  buildClaudeForkCommand,
  buildClaudeResumeCommand,
  buildClaudeSpawnCommand,
  claudePermissionMode,
} from './spawn.js';
export { CLAUDE_TRANSCRIPT_RULES, PANE_TAIL_LINES, claudeEvidenceFromSignal, claudeStatusFromPane } from './status.js';
export { isClaudeEntry, matchClaudeProcess, parseClaudeArgs, type ClaudeArgv } from './process.js';
export { DEFAULT_SESSION_MATCH_WINDOW_MS, matchClaudeSession, type SessionMatchOptions } from './session-match.js';
export { DEFAULT_TELEMETRY_INTERVAL_MS, claudeTelemetryEnv, type ClaudeTelemetryOptions } from './telemetry.js';
export { findClaudeBinary, type FindBinaryOptions } from './binary.js';
export {
  CLAUDE_HOOK_EVENTS,
  hookSettings,
  shellQuote,
  type ClaudeHookEntry,
  type ClaudeHookEvent,
  type ClaudeHookSettings,
  type HookSettingsOptions,
} from './hooks.js';
export { createClaudeHeadlessParser } from './headless.js';
export { dedupeClaudeUsage, sumUsage } from './usage-dedup.js';
export { normalizeClaudeUsage, type NormalizedClaudeUsage } from './usage-normalize.js';
export { redactSecrets, summarizeToolInput } from './tool-summary.js';

/** The Claude Code provider with default settings (config dirs and binary from the environment). */
export const claude = createClaudeProvider();
export { claudeUsageScanModule, scanClaudeUsage, scanClaudeUsageSync, type ClaudeUsageScanOptions } from './usage-scan.js';
export { claudeUsageScanCompactModule, compactScanResult, encodeCompactUsage, keepPossibleWinners, scanClaudeUsageCompact } from './usage-scan-compact.js';
export { nativeClaudeScanStatus, type NativeClaudeScanStatus } from './usage-scan-native.js';
export { scanClaudeCostsNative, type ClaudeCostScan, type ClaudeCostScanFile, type ClaudeCostScanOptions } from './cost-scan-native.js';

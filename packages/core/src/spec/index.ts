export { AgentProcessSchema, ProcessInfoSchema, type AgentProcess, type ProcessInfo } from './agent-process.js';
export {
  AgentStateSchema,
  AgentStatusSchema,
  StatusEvidenceSchema,
  StatusSourceSchema,
  type AgentState,
  type AgentStatus,
  type StatusEvidence,
  type StatusSource,
} from './agent-status.js';
export { CostSchema, addCost, zeroCost, type Cost } from './cost.js';
export type { InfraHealth, InfraProviderV1, RemoteSessionSpec, RemoteTask, Workload } from './infra-provider-v1.js';
export { ModelPriceSchema, PriceTableSchema, type ModelPrice, type PriceTable } from './model-price.js';
export type {
  BinaryInfo,
  CommandSpec,
  CompactUsageRecords,
  EnvOptions,
  ForkRequest,
  PermissionMode,
  ProcessMatch,
  ProviderV1,
  ResumeRequest,
  SessionCandidate,
  SpawnRequest,
  TelemetryRequest,
  UsageScanModule,
  UsageScanOptions,
  UsageScanResult,
} from './provider-v1.js';
export { SessionSchema, type Session } from './session.js';
export type {
  BackendSessionInfo,
  BackendStartOptions,
  CaptureOptions,
  KillOptions,
  NamedKey,
  SessionBackendV1,
} from './session-backend-v1.js';
export { ToolSpanSchema, type ToolSpan } from './tool-span.js';
export {
  SkipCountsSchema,
  TranscriptDeltaSchema,
  TranscriptFileSchema,
  TranscriptSignalSchema,
  UsageRecordSchema,
  type SkipCounts,
  type TranscriptDelta,
  type TranscriptFile,
  type TranscriptReaderV1,
  type TranscriptSignal,
  type UsageRecord,
} from './transcript.js';
export { TurnSchema, type Turn } from './turn.js';
export { UsageSchema, addUsage, emptyUsage, totalTokens, type Usage } from './usage.js';
export * from './coordination/index.js';
export type { HeadlessEvent, HeadlessOutputParser } from './headless-output.js';

import type {
  BinaryInfo,
  CommandSpec,
  EnvOptions,
  ForkRequest,
  HeadlessOutputParser,
  PriceTable,
  ProcessInfo,
  ProcessMatch,
  ProviderV1,
  ResumeRequest,
  SessionCandidate,
  SpawnRequest,
  StatusEvidence,
  TelemetryRequest,
  TranscriptFile,
  TranscriptReaderV1,
  UsageScanModule,
  UsageScanOptions,
  UsageScanResult,
} from '@agentmux/core';
import { findClaudeBinary } from './binary.js';
import { createClaudeHeadlessParser } from './headless.js';
import { openClaudeTranscript } from './parser.js';
import { claudeConfigDirs, claudeProjectRoots, listClaudeTranscripts, type ClaudeEnv } from './paths.js';
import { claudePrices } from './pricing.js';
import { matchClaudeProcess } from './process.js';
import { matchClaudeSession } from './session-match.js';
import { CLAUDE_BINARY_ENV, parseClaudeSettings, type ClaudeProviderSettings } from './settings.js';
import { buildClaudeForkCommand, buildClaudeResumeCommand, buildClaudeSpawnCommand } from './spawn.js';
import { claudeStatusFromPane } from './status.js';
import { claudeTelemetryEnv } from './telemetry.js';
import { claudeUsageScanModule, scanClaudeUsage } from './usage-scan.js';

/** The Claude Code provider: `ProviderV1` with every optional ability the CLI has. */
export interface ClaudeProvider extends ProviderV1 {
  readonly id: 'claude';
  /** The validated settings it was created with. */
  readonly settings: Readonly<ClaudeProviderSettings>;
  /** Config directories in use (settings, else `CLAUDE_CONFIG_DIR`, else the defaults). */
  configDirs(options?: EnvOptions): string[];
  buildResumeCommand(request: ResumeRequest): CommandSpec;
  buildForkCommand(request: ForkRequest): CommandSpec;
  telemetryEnv(request: TelemetryRequest): Record<string, string>;
  createHeadlessParser(format?: string): HeadlessOutputParser;
  scanUsage(file: TranscriptFile, options?: UsageScanOptions): Promise<UsageScanResult>;
  readonly usageScanModule: UsageScanModule;
}

function envOf(options?: EnvOptions): ClaudeEnv {
  return options?.env ?? process.env;
}

/**
 * Creates the Claude Code provider.
 * @throws InvalidArgumentError when a setting is of the wrong type or unknown.
 */
export function createClaudeProvider(settings: ClaudeProviderSettings = {}): ClaudeProvider {
  const s = Object.freeze(parseClaudeSettings(settings));
  const configDirs = (options?: EnvOptions): string[] => s.configDirs ? [...s.configDirs] : claudeConfigDirs(envOf(options));
  const binaryFor = (env: ClaudeEnv): string | undefined => s.binaryPath ?? (env[CLAUDE_BINARY_ENV] || undefined);
  const command = (): string => binaryFor(process.env) ?? 'claude';
  const telemetry = (request: TelemetryRequest): Record<string, string> =>
    claudeTelemetryEnv(request, {
      ...(s.telemetryIntervalMs === undefined ? {} : { intervalMs: s.telemetryIntervalMs }),
      ...(s.telemetryToolDetails === undefined ? {} : { toolDetails: s.telemetryToolDetails }),
    });
  /** A request's `telemetry` becomes environment (Claude reads its OpenTelemetry settings from env only). */
  const withTelemetry = (spec: CommandSpec, request: { telemetry?: TelemetryRequest }): CommandSpec =>
    request.telemetry === undefined ? spec : { ...spec, env: { ...spec.env, ...telemetry(request.telemetry) } };
  return {
    specificationVersion: 'v1',
    id: 'claude',
    displayName: 'Claude Code',
    binaryName: 'claude',
    settings: s,
    prices: claudePrices as PriceTable,
    configDirs,
    findBinary(options?: EnvOptions): Promise<BinaryInfo | null> {
      const env = envOf(options);
      const binaryPath = binaryFor(env);
      return findClaudeBinary(env, {
        ...(binaryPath === undefined ? {} : { binaryPath }),
        ...(s.versionTimeoutMs === undefined ? {} : { versionTimeoutMs: s.versionTimeoutMs }),
      });
    },
    matchProcess(proc: ProcessInfo): ProcessMatch | null {
      return matchClaudeProcess(proc);
    },
    transcriptRoots(options?: EnvOptions): string[] {
      return claudeProjectRoots(configDirs(options));
    },
    listTranscripts(options?: EnvOptions & { since?: Date }): Promise<TranscriptFile[]> {
      return listClaudeTranscripts(claudeProjectRoots(configDirs(options)), options?.since);
    },
    openTranscript(file: TranscriptFile, fromOffset = 0): TranscriptReaderV1 {
      return openClaudeTranscript(file, fromOffset, s.maxLineBytes === undefined ? {} : { maxLineBytes: s.maxLineBytes });
    },
    matchSession(match: ProcessMatch, candidates: readonly SessionCandidate[]): SessionCandidate | null {
      return matchClaudeSession(match, candidates, s.sessionMatchWindowMs === undefined ? {} : { windowMs: s.sessionMatchWindowMs });
    },
    buildSpawnCommand(request: SpawnRequest): CommandSpec {
      return withTelemetry(buildClaudeSpawnCommand(command(), request), request);
    },
    buildResumeCommand(request: ResumeRequest): CommandSpec {
      return withTelemetry(buildClaudeResumeCommand(command(), request), request);
    },
    buildForkCommand(request: ForkRequest): CommandSpec {
      return withTelemetry(buildClaudeForkCommand(command(), request), request);
    },
    statusFromPane(text: string, at?: Date): StatusEvidence | null {
      return claudeStatusFromPane(text, at);
    },
    telemetryEnv: telemetry,
    /** Parser of `-p --output-format stream-json --verbose` stdout (the only format the built commands use). */
    createHeadlessParser(_format?: string): HeadlessOutputParser {
      return createClaudeHeadlessParser();
    },
    scanUsage(file: TranscriptFile, options: UsageScanOptions = {}): Promise<UsageScanResult> {
      return scanClaudeUsage(file, s.maxLineBytes === undefined ? options : { ...options, maxLineBytes: s.maxLineBytes });
    },
    usageScanModule: claudeUsageScanModule,
  };
}

import type { AgentProcess, ProcessInfo } from './agent-process.js';
import type { StatusEvidence } from './agent-status.js';
import type { HeadlessOutputParser } from './headless-output.js';
import type { PriceTable } from './model-price.js';
import type { SkipCounts, TranscriptFile, TranscriptReaderV1, UsageRecord } from './transcript.js';

/** The executable of a provider's CLI. */
export interface BinaryInfo {
  /** Absolute path of the executable. */
  path: string;
  /** Version string as printed by `--version`, or `null` when it could not be read. */
  version: string | null;
}

/** Environment to resolve paths against; defaults to `process.env`. */
export interface EnvOptions {
  /** Environment variables (`HOME`, `CLAUDE_CONFIG_DIR`, `CODEX_HOME`, `GEMINI_CLI_HOME`, `PATH`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What a provider learned from one process-table row. */
export interface ProcessMatch {
  /** The recognised process. */
  process: AgentProcess;
  /** Session id named in argv (`--session-id`, `--resume <id>`, `codex resume <id>`), if any. */
  sessionId?: string;
  /** True when argv asks to continue the latest session (`--continue`, `--last`, `--resume latest`). */
  continuesLatest?: boolean;
  /** True for a non-interactive run (`-p`, `exec`). */
  nonInteractive?: boolean;
  /** Model named in argv. */
  model?: string;
}

/** A session that a process may be writing, offered to `matchSession`. */
export interface SessionCandidate {
  /** Session id. */
  sessionId: string;
  /** Real cwd from the records. */
  cwd?: string;
  /** ISO-8601 time of the first record. */
  startedAt?: string;
  /** ISO-8601 time of the latest record. */
  lastActivityAt?: string;
  /** Main transcript path. */
  path: string;
}

/** Options of a usage-only scan. */
export interface UsageScanOptions {
  /** Byte offset to start at (default 0). */
  fromOffset?: number;
}

/**
 * What a usage-only scan of one transcript file found: the same `UsageRecord`s the provider's reader gives for
 * that byte range (fields that need turn assembly, such as `turnIndex`, may be absent), without turns or signals.
 */
export interface UsageScanResult {
  /** Billable usage records, in file order, not yet deduplicated. */
  records: UsageRecord[];
  /** Dedup keys whose earlier records must be dropped. */
  retractedKeys: string[];
  /** Lines skipped by reason (a scanner may check lines that carry no usage less strictly than the reader). */
  skipped: SkipCounts;
  /** Bytes consumed. */
  bytes: number;
  /** Offset to resume from (start of a torn last line). */
  nextOffset: number;
  /**
   * Optional (added for the cost engine's worker protocol): the records in columns, for a scan running on a worker
   * thread to send back as transferable buffers instead of objects. When present, `records` is empty and these
   * rows are the records; `decodeCompactUsage` (core) turns them back into `UsageRecord`s.
   */
  compact?: CompactUsageRecords;
}

/**
 * Usage records in columns. Row `i`'s numbers are `numbers[i * 8 + k]` for k = input, output, cacheWrite5m,
 * cacheWrite1h, cacheRead, reasoning, webSearchRequests, costUSD (`NaN`: no costUSD). Its references are
 * `refs[i * 6 + k]` for k = flags (bit 0 `isSidechain` set, bit 1 its value; bit 2 `fast` set, bit 3 its value;
 * bits 4–5 `dedupPolicy`: 0 none, 1 `max-total`, 2 `last-wins`), then string numbers (-1: absent) of timestamp,
 * model, cwd, dedupKey, sourceSessionId. String `j` is `text.slice(ends[j - 1] ?? 0, ends[j])` (one string and two
 * typed arrays cross a thread boundary far faster than many small strings). `sessionId` and `providerId` are the
 * same for every row.
 */
export interface CompactUsageRecords {
  /** Number of rows. */
  count: number;
  /** `count × 8` numbers. */
  numbers: Float64Array;
  /** `count × 6` flags and string indexes. */
  refs: Int32Array;
  /** The distinct strings the rows refer to, concatenated. */
  text: string;
  /** End offset in `text` of each string. */
  ends: Int32Array;
  /** Billing session of every row. */
  sessionId: string;
  /** Provider of every row. */
  providerId: string;
}

/**
 * Where a worker thread can load a provider's usage scanner: `(await import(url))[exportName](file, options)`
 * must behave like `ProviderV1.scanUsage`. `url` must be importable by plain Node (a built `.js` file); callers
 * run the scan in-process otherwise.
 */
export interface UsageScanModule {
  /** `file:` URL of an ES module. */
  url: string;
  /** Name of the exported scan function. */
  exportName: string;
}

/** Permission modes, mapped by each provider to its own flags. */
export type PermissionMode = 'default' | 'plan' | 'accept-edits' | 'bypass';

/** What to start. */
export interface SpawnRequest {
  /** Working directory. */
  cwd: string;
  /** Model to use; the CLI's default when absent. */
  model?: string;
  /** Permission mode; the CLI's default when absent. */
  permissionMode?: PermissionMode;
  /** Session id to preset, where the CLI allows it (Claude `--session-id`). */
  sessionId?: string;
  /** A prompt: with `nonInteractive`, the whole job; otherwise typed after start by the lifecycle. */
  prompt?: string;
  /** Run without a UI, streaming JSON (`-p`, `exec --json`). */
  nonInteractive?: boolean;
  /** Extra environment for the agent. */
  env?: Record<string, string>;
  /**
   * OpenTelemetry export to switch on for this agent. Optional; for CLIs configured through argv rather
   * than env (Codex: `-c otel.…=…` overrides) the provider adds the flags to the built command.
   */
  telemetry?: TelemetryRequest;
}

/** Resume an existing session. */
export interface ResumeRequest extends Omit<SpawnRequest, 'sessionId'> {
  /** The session to resume; absent means the latest in `cwd`. */
  sessionId?: string;
}

/** Fork: a new session seeded with an existing one's history. */
export interface ForkRequest extends Omit<SpawnRequest, 'sessionId'> {
  /** The session to fork from. */
  fromSessionId: string;
  /** Id for the new session where the CLI allows presetting it. */
  newSessionId?: string;
}

/** An argv array and environment; never a shell string. */
export interface CommandSpec {
  /** Executable (a name to resolve on PATH or an absolute path). */
  command: string;
  /** Arguments, passed as-is. */
  args: string[];
  /** Environment additions. */
  env: Record<string, string>;
  /** Working directory. */
  cwd: string;
  /** The session id the command will write to, when known up front. */
  sessionId?: string;
  /** The stream format on stdout for non-interactive runs, e.g. `claude-stream-json`. */
  outputFormat?: string;
}

/** OpenTelemetry export settings to inject into an agent's environment. */
export interface TelemetryRequest {
  /** OTLP endpoint, e.g. `http://127.0.0.1:4318`. */
  endpoint: string;
  /** OTLP protocol. */
  protocol: 'grpc' | 'http/json' | 'http/protobuf';
  /** Include prompt text in events (off by default: prompts may hold secrets). */
  logPrompts?: boolean;
}

/**
 * A provider knows one agent CLI: where it is, how to recognise and start it, where and how it writes
 * transcripts, and what its screen looks like. Optional methods are abilities; calling a missing one through
 * the core helpers throws `UnsupportedCapabilityError`.
 */
export interface ProviderV1 {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /** Stable id: `claude`, `codex`, `gemini`, … */
  readonly id: string;
  /** Human name, e.g. `Claude Code`. */
  readonly displayName: string;
  /** Name of the executable on PATH. */
  readonly binaryName: string;

  /** Finds the executable and its version; `null` when absent. */
  findBinary(options?: EnvOptions): Promise<BinaryInfo | null>;
  /** Recognises this provider's CLI in a process-table row (also behind `node` wrappers); `null` if not ours. */
  matchProcess(proc: ProcessInfo): ProcessMatch | null;
  /** Root directories that hold transcripts, honouring the CLI's env variables and comma lists. */
  transcriptRoots(options?: EnvOptions): string[];
  /** Lists transcript files under the roots (main and subagent files). */
  listTranscripts(options?: EnvOptions & { since?: Date }): Promise<TranscriptFile[]>;
  /** Opens an incremental reader at `fromOffset` (default 0). */
  openTranscript(file: TranscriptFile, fromOffset?: number): TranscriptReaderV1;
  /** Picks the session a process writes, or `null`; the caller guarantees one process per session. */
  matchSession(match: ProcessMatch, candidates: readonly SessionCandidate[]): SessionCandidate | null;
  /** Builds the command to start a new session. */
  buildSpawnCommand(request: SpawnRequest): CommandSpec;
  /** Builds the command to resume a session. */
  buildResumeCommand?(request: ResumeRequest): CommandSpec;
  /** Builds the command to fork a session. */
  buildForkCommand?(request: ForkRequest): CommandSpec;
  /** Reads status from the visible pane text; `null` when nothing matches. */
  statusFromPane(text: string, at?: Date): StatusEvidence | null;
  /** Environment that turns on the CLI's OpenTelemetry export. */
  telemetryEnv?(request: TelemetryRequest): Record<string, string>;
  /**
   * Optional: a parser for the stdout of a non-interactive run (`buildSpawnCommand({ nonInteractive: true })`),
   * used by the headless backend. `format` is the built command's `outputFormat`. Missing: headless runs of
   * this provider report no turn events (output is still logged).
   */
  createHeadlessParser?(format?: string): HeadlessOutputParser;
  /** The provider's bundled price table. */
  readonly prices: PriceTable;
  /**
   * Optional fast path for cost reports: a usage-only scan of one file that returns exactly the `UsageRecord`s
   * `openTranscript(file, fromOffset).read()` would (except reader-only fields such as `turnIndex`), much faster.
   */
  scanUsage?(file: TranscriptFile, options?: UsageScanOptions): Promise<UsageScanResult>;
  /** Where worker threads can import `scanUsage` from, so that scans can run on several cores. */
  readonly usageScanModule?: UsageScanModule;
}

import { InvalidArgumentError, type PriceTable, type ProviderV1 } from '@agentmux/core';
import { z } from 'zod';
import { findGeminiBinary, DEFAULT_VERSION_TIMEOUT_MS } from './binary.js';
import { createGeminiHeadlessParser } from './headless.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-reader.js';
import { GeminiTranscriptReader } from './parser.js';
import { GEMINI_PROVIDER_ID, geminiTranscriptRoots, listGeminiTranscripts } from './paths.js';
import { geminiPrices } from './pricing.js';
import { matchGeminiProcess } from './process.js';
import { DEFAULT_SESSION_MATCH_WINDOW_MS, matchGeminiSession } from './session-match.js';
import { buildResumeCommand, buildSpawnCommand, type GeminiOutputFormat } from './spawn.js';
import { statusFromPane } from './status.js';
import { geminiTelemetryEnv } from './telemetry.js';

/** Settings of `createGeminiProvider`; every field is optional. */
export interface GeminiProviderSettings {
  /**
   * Gemini home directories: each is the folder that contains `.gemini/` (a path ending in `.gemini` is used
   * as is). Default: `GEMINI_CLI_HOME` (a comma list) from the call's env, else `HOME`, else `os.homedir()`.
   */
  configDirs?: string[];
  /** Executable to run and report; default: `gemini` looked up on `env.PATH` (no env variable). */
  binaryPath?: string;
  /** Timeout of `gemini --version` in `findBinary`; default 5000 ms. */
  versionTimeoutMs?: number;
  /** Bound between a process start and its session's first record in `matchSession`; default 120000 ms. */
  sessionMatchWindowMs?: number;
  /** Transcript lines longer than this are skipped as `too-long` without buffering; default 16 MiB. */
  maxLineBytes?: number;
  /** Restore reader state from bytes before `fromOffset` when opening mid-file; default true (see `GeminiReaderOptions`). */
  replayPrefix?: boolean;
  /** `--output-format` of non-interactive runs: `json` (default, per the CLI docs) or `stream-json` (newer CLIs). */
  nonInteractiveOutputFormat?: GeminiOutputFormat;
  /** Price table to expose as `prices`; default: the Gemini subset of core's bundled table. */
  prices?: PriceTable;
}

const SettingsSchema = z
  .object({
    configDirs: z.array(z.string().min(1)).optional(),
    binaryPath: z.string().min(1).optional(),
    versionTimeoutMs: z.number().int().positive().optional(),
    sessionMatchWindowMs: z.number().int().nonnegative().optional(),
    maxLineBytes: z.number().int().positive().optional(),
    replayPrefix: z.boolean().optional(),
    nonInteractiveOutputFormat: z.enum(['json', 'stream-json']).optional(),
    prices: z.object({ asOf: z.string(), source: z.string(), models: z.record(z.string(), z.unknown()) }).loose().optional(),
  })
  .strict();

const FIXES: Record<string, string> = {
  configDirs: 'pass an array of directory paths (each containing .gemini/)',
  binaryPath: 'pass the absolute path of the gemini executable',
  versionTimeoutMs: 'pass a positive number of milliseconds',
  sessionMatchWindowMs: 'pass a non-negative number of milliseconds, e.g. 120000',
  maxLineBytes: 'pass a positive number of bytes, e.g. 16777216',
  replayPrefix: 'pass true or false',
  nonInteractiveOutputFormat: 'pass "json" or "stream-json"',
  prices: 'pass a PriceTable ({asOf, source, models})',
};

function validateSettings(settings: unknown): GeminiProviderSettings {
  const parsed = SettingsSchema.safeParse(settings ?? {});
  if (parsed.success) return settings as GeminiProviderSettings;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0];
  const field = typeof key === 'string' ? key : issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? '') : '';
  throw new InvalidArgumentError(
    `gemini.settings${field ? `.${field}` : ''}`,
    issue?.message ?? 'invalid settings',
    FIXES[field] ?? `use only: ${Object.keys(FIXES).join(', ')}`,
  );
}

/**
 * Creates the Gemini CLI provider. Abilities the CLI lacks are omitted (`buildForkCommand`: Gemini cannot
 * fork a session; presetting a session id throws `UnsupportedCapabilityError`).
 * @throws InvalidArgumentError naming the settings field when a setting is invalid.
 */
export function createGeminiProvider(settings: GeminiProviderSettings = {}): ProviderV1 {
  const s = validateSettings(settings);
  const window = s.sessionMatchWindowMs ?? DEFAULT_SESSION_MATCH_WINDOW_MS;
  const commandOptions = {
    ...(s.binaryPath ? { binary: s.binaryPath } : {}),
    ...(s.nonInteractiveOutputFormat ? { outputFormat: s.nonInteractiveOutputFormat } : {}),
  };
  return {
    specificationVersion: 'v1',
    id: GEMINI_PROVIDER_ID,
    displayName: 'Gemini CLI',
    binaryName: 'gemini',
    prices: s.prices ?? geminiPrices,
    findBinary: (options = {}) =>
      findGeminiBinary({
        ...options,
        ...(s.binaryPath ? { binaryPath: s.binaryPath } : {}),
        versionTimeoutMs: s.versionTimeoutMs ?? DEFAULT_VERSION_TIMEOUT_MS,
      }),
    matchProcess: (proc) => matchGeminiProcess(proc),
    transcriptRoots: (options = {}) => geminiTranscriptRoots(options.env ?? process.env, s.configDirs),
    listTranscripts: (options = {}) =>
      listGeminiTranscripts(geminiTranscriptRoots(options.env ?? process.env, s.configDirs), options.since),
    openTranscript: (file, fromOffset = 0) =>
      new GeminiTranscriptReader(file, fromOffset, {
        maxLineBytes: s.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
        ...(s.replayPrefix !== undefined ? { replayPrefix: s.replayPrefix } : {}),
      }),
    matchSession: (match, candidates) => matchGeminiSession(match, candidates, window),
    buildSpawnCommand: (request) => buildSpawnCommand(request, commandOptions),
    buildResumeCommand: (request) => buildResumeCommand(request, commandOptions),
    statusFromPane: (text, at) => statusFromPane(text, at),
    telemetryEnv: (request) => geminiTelemetryEnv(request),
    // `outputFormat` of the built command: `gemini-json` or `gemini-stream-json`.
    createHeadlessParser: (format) => createGeminiHeadlessParser(format === 'gemini-stream-json' ? 'stream-json' : 'json'),
  };
}

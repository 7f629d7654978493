import type { EnvOptions, ProviderV1, TranscriptFile } from '@agentmux/core';
import { findCodexBinary } from './binary.js';
import { createCodexHeadlessParser } from './headless.js';
import { CodexTranscriptReader } from './parser.js';
import { CODEX_PROVIDER_ID, codexHomes, listCodexTranscripts, type SessionMetaFacts } from './paths.js';
import { codexPrices } from './pricing.js';
import { matchCodexProcess } from './process.js';
import { matchCodexSession } from './session-match.js';
import { resolveCodexSettings, type CodexProviderSettings } from './settings.js';
import { buildCodexForkCommand, buildCodexResumeCommand, buildCodexSpawnCommand } from './spawn.js';
import { codexStatusFromPane } from './status.js';

const envOf = (options?: EnvOptions) => options?.env ?? process.env;

/**
 * Creates the Codex CLI provider. Abilities: discovery (binary, processes, rollouts), incremental
 * transcript reading, session matching, spawn/resume/fork commands, pane status and prices.
 * No `telemetryEnv`: Codex takes its OpenTelemetry settings as `-c otel.…` argv overrides, added to the
 * built commands when a request carries `telemetry`.
 */
export function createCodexProvider(settings: CodexProviderSettings = {}): ProviderV1 {
  const s = resolveCodexSettings(settings);
  const metaCache = new Map<string, SessionMetaFacts>();
  const commandOptions = {
    ...(s.binaryPath ? { command: s.binaryPath } : {}),
    execSkipGitRepoCheck: s.execSkipGitRepoCheck,
  };
  return {
    specificationVersion: 'v1',
    id: CODEX_PROVIDER_ID,
    displayName: 'Codex CLI',
    binaryName: 'codex',
    findBinary: (options) => findCodexBinary(envOf(options), s.binaryPath, s.versionTimeoutMs),
    matchProcess: (proc) => matchCodexProcess(proc),
    transcriptRoots: (options) => codexHomes(envOf(options), s.configDirs),
    listTranscripts: (options) => listCodexTranscripts(codexHomes(envOf(options), s.configDirs), options?.since, metaCache),
    openTranscript: (file: TranscriptFile, fromOffset = 0) =>
      new CodexTranscriptReader(file, fromOffset, {
        maxLineBytes: s.maxLineBytes,
        ...(s.decompressZstd !== undefined ? { decompressZstd: s.decompressZstd } : {}),
      }),
    matchSession: (match, candidates) => matchCodexSession(match, candidates, { windowMs: s.sessionMatchWindowMs, skewMs: s.sessionMatchSkewMs }),
    buildSpawnCommand: (request) => buildCodexSpawnCommand(request, commandOptions),
    buildResumeCommand: (request) => buildCodexResumeCommand(request, commandOptions),
    buildForkCommand: (request) => buildCodexForkCommand(request, commandOptions),
    statusFromPane: (text, at) => codexStatusFromPane(text, at),
    // `codex exec --json` stdout (the only non-interactive format the command builders produce).
    createHeadlessParser: () => createCodexHeadlessParser(),
    prices: codexPrices,
  };
}

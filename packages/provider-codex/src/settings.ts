import { DEFAULT_VERSION_TIMEOUT_MS, InvalidArgumentError } from '@agentmux/core';
import { z } from 'zod';
import { DEFAULT_MAX_LINE_BYTES, type ZstdDecompressor } from './parser.js';
import { DEFAULT_SESSION_MATCH_SKEW_MS, DEFAULT_SESSION_MATCH_WINDOW_MS } from './session-match.js';

/** Settings of `createCodexProvider`. Every field is optional. */
export interface CodexProviderSettings {
  /**
   * Codex home directories holding `sessions/` and `archived_sessions/`.
   * Default: `$CODEX_HOME` (a comma list allowed), else `~/.codex`.
   */
  configDirs?: string[];
  /** Path of the `codex` executable. Default: `codex` looked up on `PATH` (the `env.PATH` passed in). */
  binaryPath?: string;
  /** Timeout of `codex --version` in ms. Default 5 000. */
  versionTimeoutMs?: number;
  /** Largest gap between a process start and its session's first record, in ms. Default 120 000. */
  sessionMatchWindowMs?: number;
  /** Tolerance for a first record stamped before the process start, in ms. Default 2 000. */
  sessionMatchSkewMs?: number;
  /** Lines longer than this are skipped as `too-long` without being buffered. Default 16 MiB. */
  maxLineBytes?: number;
  /** Pass `--skip-git-repo-check` to `codex exec`. Default true. */
  execSkipGitRepoCheck?: boolean;
  /**
   * Decompressor for `.jsonl.zst` rollouts. Default: Node's zstd when available (Node ≥ 22.15), else none
   * (such files are reported as skipped with reason `compressed-unsupported`).
   */
  decompressZstd?: ZstdDecompressor | null;
}

/** Settings with defaults applied. */
export interface ResolvedCodexSettings {
  configDirs?: string[];
  binaryPath?: string;
  versionTimeoutMs: number;
  sessionMatchWindowMs: number;
  sessionMatchSkewMs: number;
  maxLineBytes: number;
  execSkipGitRepoCheck: boolean;
  decompressZstd?: ZstdDecompressor | null;
}

const positiveMs = z.number().int().positive().max(24 * 3600 * 1000);
const SettingsSchema = z.object({
  configDirs: z.array(z.string().min(1)).optional(),
  binaryPath: z.string().min(1).optional(),
  versionTimeoutMs: positiveMs.optional(),
  sessionMatchWindowMs: positiveMs.optional(),
  sessionMatchSkewMs: z.number().int().nonnegative().max(3600 * 1000).optional(),
  maxLineBytes: z.number().int().min(1024).optional(),
  execSkipGitRepoCheck: z.boolean().optional(),
  decompressZstd: z.union([z.function(), z.null()]).optional(),
});

const FIXES: Record<string, string> = {
  configDirs: 'pass an array of directory paths, e.g. ["/home/me/.codex"]',
  binaryPath: 'pass the path of the codex executable, or leave it out to search PATH',
  versionTimeoutMs: 'pass a positive number of milliseconds, e.g. 5000',
  sessionMatchWindowMs: 'pass a positive number of milliseconds, e.g. 120000',
  sessionMatchSkewMs: 'pass a non-negative number of milliseconds, e.g. 2000',
  maxLineBytes: 'pass a byte count of at least 1024, e.g. 16777216',
  execSkipGitRepoCheck: 'pass true or false',
  decompressZstd: 'pass a function (Buffer) => Buffer, or null',
};

/** Validates settings and applies defaults; bad fields throw `InvalidArgumentError` naming the field. */
export function resolveCodexSettings(settings: CodexProviderSettings = {}): ResolvedCodexSettings {
  const parsed = SettingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    throw new InvalidArgumentError(`codexProvider.${issue?.path.map(String).join('.') ?? ''}`, issue?.message ?? 'invalid value', FIXES[key] ?? 'see CodexProviderSettings');
  }
  return {
    ...(settings.configDirs ? { configDirs: [...settings.configDirs] } : {}),
    ...(settings.binaryPath ? { binaryPath: settings.binaryPath } : {}),
    versionTimeoutMs: settings.versionTimeoutMs ?? DEFAULT_VERSION_TIMEOUT_MS,
    sessionMatchWindowMs: settings.sessionMatchWindowMs ?? DEFAULT_SESSION_MATCH_WINDOW_MS,
    sessionMatchSkewMs: settings.sessionMatchSkewMs ?? DEFAULT_SESSION_MATCH_SKEW_MS,
    maxLineBytes: settings.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    execSkipGitRepoCheck: settings.execSkipGitRepoCheck ?? true,
    ...(settings.decompressZstd !== undefined ? { decompressZstd: settings.decompressZstd } : {}),
  };
}

import { InvalidArgumentError } from '@agentmux/core';
import { z } from 'zod';

/**
 * Settings of the Claude provider. Every field is optional; the default and the environment variable it falls back
 * to (read from the `env` passed to each call, else `process.env`) are listed per field.
 */
export interface ClaudeProviderSettings {
  /**
   * Claude config directories holding `projects/`. Default: `CLAUDE_CONFIG_DIR` (comma list), else those of
   * `~/.claude` and `~/.config/claude` that exist (`~/.claude` when neither does).
   */
  configDirs?: string[];
  /** Path of the `claude` executable. Default: `AGENTMUX_CLAUDE_BINARY`, else `claude` looked up on `PATH`. */
  binaryPath?: string;
  /** Bound between a process start and its session's first record for cwd/time matching. Default 120 000 ms. */
  sessionMatchWindowMs?: number;
  /** Transcript lines longer than this are skipped (`too-long`) without buffering. Default 16 MiB. */
  maxLineBytes?: number;
  /** Timeout of `claude --version` in `findBinary`. Default 5000 ms. */
  versionTimeoutMs?: number;
  /** OTLP export interval set by `telemetryEnv`. Default 1000 ms. */
  telemetryIntervalMs?: number;
  /** `telemetryEnv` also exports tool parameters (`OTEL_LOG_TOOL_DETAILS=1`). Default false (may hold secrets). */
  telemetryToolDetails?: boolean;
}

/** Environment variable read for `binaryPath` when the setting is absent. */
export const CLAUDE_BINARY_ENV = 'AGENTMUX_CLAUDE_BINARY';

const positiveInt = z.number().int().positive();

/** Zod schema of `ClaudeProviderSettings` (strict: a misspelt field is an error). */
export const ClaudeProviderSettingsSchema = z.strictObject({
  configDirs: z.array(z.string().min(1)).optional(),
  binaryPath: z.string().min(1).optional(),
  sessionMatchWindowMs: positiveInt.optional(),
  maxLineBytes: positiveInt.optional(),
  versionTimeoutMs: positiveInt.optional(),
  telemetryIntervalMs: positiveInt.optional(),
  telemetryToolDetails: z.boolean().optional(),
});

/** Validates settings; throws `InvalidArgumentError` naming the first bad field and how to fix it. */
export function parseClaudeSettings(settings: unknown): ClaudeProviderSettings {
  const parsed = ClaudeProviderSettingsSchema.safeParse(settings ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined;
  const field = `claudeProvider.settings${path ? `.${path}` : unknownKey ? `.${unknownKey}` : ''}`;
  throw new InvalidArgumentError(
    field,
    unknownKey ? 'is not a known setting' : (issue?.message ?? 'is invalid'),
    unknownKey
      ? `remove it; known settings: ${Object.keys(ClaudeProviderSettingsSchema.shape).join(', ')}`
      : 'see ClaudeProviderSettings for the expected type and default',
  );
}

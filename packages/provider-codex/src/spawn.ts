import { InvalidArgumentError, UnsupportedCapabilityError, type CommandSpec, type ForkRequest, type PermissionMode, type ResumeRequest, type SpawnRequest } from '@agentmux/core';
import { codexTelemetryArgs } from './telemetry.js';

/** Output format name of `codex exec --json` (JSONL events on stdout). */
export const CODEX_EXEC_OUTPUT_FORMAT = 'codex-exec-json';

/** Options shared by the command builders. */
export interface CodexCommandOptions {
  /** Executable to run (default `codex`). */
  command?: string;
  /** Pass `--skip-git-repo-check` to `codex exec` (it refuses to run outside a git repo otherwise). Default true. */
  execSkipGitRepoCheck?: boolean;
}

const PERMISSION_MODES: readonly PermissionMode[] = ['default', 'plan', 'accept-edits', 'bypass'];

/**
 * Interactive (TUI) flags for a permission mode:
 * - `default` → `--ask-for-approval on-request` (Codex asks when the model requests escalation);
 * - `plan` → `--sandbox read-only --ask-for-approval on-request` (can read, cannot write);
 * - `accept-edits` → `--sandbox workspace-write --ask-for-approval on-request` (what `--full-auto` meant;
 *   spelled out because newer `codex fork` rejects `--full-auto`);
 * - `bypass` → `--dangerously-bypass-approvals-and-sandbox` (no approvals, no sandbox: the only mode that
 *   matches "bypass"; `--full-auto` still sandboxes and may still ask).
 */
export function interactivePermissionArgs(mode: PermissionMode | undefined): string[] {
  switch (mode) {
    case undefined:
      return [];
    case 'default':
      return ['--ask-for-approval', 'on-request'];
    case 'plan':
      return ['--sandbox', 'read-only', '--ask-for-approval', 'on-request'];
    case 'accept-edits':
      return ['--sandbox', 'workspace-write', '--ask-for-approval', 'on-request'];
    case 'bypass':
      return ['--dangerously-bypass-approvals-and-sandbox'];
  }
}

/**
 * `codex exec` flags: exec never asks for approval (older versions have no `--ask-for-approval` there), so
 * only the sandbox is chosen: `default` → none (exec's read-only default), `plan` → `read-only`,
 * `accept-edits` → `workspace-write`, `bypass` → `--dangerously-bypass-approvals-and-sandbox`.
 */
export function execPermissionArgs(mode: PermissionMode | undefined): string[] {
  switch (mode) {
    case undefined:
    case 'default':
      return [];
    case 'plan':
      return ['--sandbox', 'read-only'];
    case 'accept-edits':
      return ['--sandbox', 'workspace-write'];
    case 'bypass':
      return ['--dangerously-bypass-approvals-and-sandbox'];
  }
}

function validate(request: SpawnRequest | ResumeRequest | ForkRequest, field: string): void {
  if (typeof request.cwd !== 'string' || request.cwd.length === 0) {
    throw new InvalidArgumentError(`${field}.cwd`, 'must be a non-empty directory path', 'pass the working directory the agent should run in');
  }
  if (request.permissionMode !== undefined && !PERMISSION_MODES.includes(request.permissionMode)) {
    throw new InvalidArgumentError(`${field}.permissionMode`, `unknown mode "${String(request.permissionMode)}"`, `use one of ${PERMISSION_MODES.join(', ')}`);
  }
  if (request.model !== undefined && (typeof request.model !== 'string' || request.model.trim() === '' || request.model.startsWith('-'))) {
    throw new InvalidArgumentError(`${field}.model`, 'must be a model name such as "gpt-5-codex"', 'pass a model name or leave it out for the CLI default');
  }
  if (request.nonInteractive && (typeof request.prompt !== 'string' || request.prompt.trim() === '')) {
    throw new InvalidArgumentError(`${field}.prompt`, 'is required for a non-interactive run', 'pass the task as `prompt`, or drop `nonInteractive`');
  }
}

/** A prompt as a positional argument; `--` first when it looks like a flag. */
function promptArgs(prompt: string): string[] {
  return prompt.startsWith('-') ? ['--', prompt] : [prompt];
}

function spec(request: SpawnRequest | ResumeRequest | ForkRequest, options: CodexCommandOptions, args: string[], nonInteractive: boolean): CommandSpec {
  const telemetry = request.telemetry ? codexTelemetryArgs(request.telemetry) : [];
  return {
    command: options.command ?? 'codex',
    // `-c` overrides are global options of the `codex` multitool: they go before the subcommand.
    args: [...telemetry, ...args],
    env: { ...(request.env ?? {}) },
    cwd: request.cwd,
    ...(nonInteractive ? { outputFormat: CODEX_EXEC_OUTPUT_FORMAT } : {}),
  };
}

function modelArgs(model: string | undefined): string[] {
  return model ? ['--model', model] : [];
}

function execHead(options: CodexCommandOptions): string[] {
  return ['exec', '--json', ...(options.execSkipGitRepoCheck === false ? [] : ['--skip-git-repo-check'])];
}

/**
 * `codex [flags]` (interactive; the prompt is typed by the lifecycle) or
 * `codex exec --json [--skip-git-repo-check] [flags] <prompt>`. Codex cannot preset a session id, so
 * `sessionId` is ignored and the result never names one.
 */
export function buildCodexSpawnCommand(request: SpawnRequest, options: CodexCommandOptions = {}): CommandSpec {
  validate(request, 'spawn');
  if (request.nonInteractive) {
    const args = [...execHead(options), ...modelArgs(request.model), ...execPermissionArgs(request.permissionMode), ...promptArgs(request.prompt as string)];
    return spec(request, options, args, true);
  }
  return spec(request, options, [...modelArgs(request.model), ...interactivePermissionArgs(request.permissionMode)], false);
}

/**
 * `codex resume <id>` / `codex resume --last` (interactive), or
 * `codex exec --json … resume <id>|--last <prompt>` (non-interactive). `sessionId` on the result is the
 * resumed id (Codex appends to the same rollout).
 */
export function buildCodexResumeCommand(request: ResumeRequest, options: CodexCommandOptions = {}): CommandSpec {
  validate(request, 'resume');
  if (request.sessionId !== undefined && (request.sessionId.trim() === '' || request.sessionId.startsWith('-'))) {
    throw new InvalidArgumentError('resume.sessionId', 'must be a Codex thread id', 'pass the session id (a UUID) or leave it out to resume the latest session');
  }
  const target = request.sessionId ? [request.sessionId] : ['--last'];
  const result = request.nonInteractive
    ? spec(request, options, [...execHead(options), ...modelArgs(request.model), ...execPermissionArgs(request.permissionMode), 'resume', ...target, ...promptArgs(request.prompt as string)], true)
    : spec(request, options, ['resume', ...modelArgs(request.model), ...interactivePermissionArgs(request.permissionMode), ...target], false);
  return request.sessionId ? { ...result, sessionId: request.sessionId } : result;
}

/**
 * `codex fork <fromSessionId>`: a new thread seeded with the old one's history (interactive only; the
 * CLI has no `exec fork`). The new id cannot be preset: `newSessionId` is ignored and the result names
 * no session.
 */
export function buildCodexForkCommand(request: ForkRequest, options: CodexCommandOptions = {}): CommandSpec {
  validate(request, 'fork');
  if (typeof request.fromSessionId !== 'string' || request.fromSessionId.trim() === '' || request.fromSessionId.startsWith('-')) {
    throw new InvalidArgumentError('fork.fromSessionId', 'must be a Codex thread id', 'pass the id (a UUID) of the session to fork');
  }
  if (request.nonInteractive) {
    throw new UnsupportedCapabilityError('provider:codex', 'fork (non-interactive)', 'Codex has no `codex exec fork`; fork interactively, or resume with `nonInteractive`.');
  }
  return spec(request, options, ['fork', ...modelArgs(request.model), ...interactivePermissionArgs(request.permissionMode), request.fromSessionId], false);
}

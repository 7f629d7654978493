import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import {
  InvalidArgumentError,
  type CommandSpec,
  type ForkRequest,
  type PermissionMode,
  type ResumeRequest,
  type SpawnRequest,
} from '@agentmux/core';

/** The `stream-json` format Claude prints on stdout with `-p --output-format stream-json --verbose`. */
export const CLAUDE_STREAM_FORMAT = 'claude-stream-json';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Core permission modes → `claude --permission-mode` values. */
export const CLAUDE_PERMISSION_MODES: Readonly<Record<PermissionMode, string>> = {
  default: 'default',
  plan: 'plan',
  'accept-edits': 'acceptEdits',
  bypass: 'bypassPermissions',
};

/** Maps a core permission mode to Claude's flag value; throws `InvalidArgumentError` for anything else. */
export function claudePermissionMode(mode: PermissionMode, field = 'permissionMode'): string {
  const value = Object.hasOwn(CLAUDE_PERMISSION_MODES, mode) ? CLAUDE_PERMISSION_MODES[mode] : undefined;
  if (value === undefined) {
    throw new InvalidArgumentError(field, `unknown permission mode ${JSON.stringify(mode)}`, `use one of ${Object.keys(CLAUDE_PERMISSION_MODES).join(', ')}`);
  }
  return value;
}

function checkSessionId(id: string, field: string): string {
  if (!UUID.test(id)) {
    throw new InvalidArgumentError(field, `${JSON.stringify(id)} is not a UUID`, 'pass a UUID such as crypto.randomUUID(); Claude only accepts UUID session ids');
  }
  return id.toLowerCase();
}

function checkCommon(req: Omit<SpawnRequest, 'sessionId'>, field: string): void {
  if (typeof req.cwd !== 'string' || req.cwd.length === 0 || !isAbsolute(req.cwd)) {
    throw new InvalidArgumentError(`${field}.cwd`, `${JSON.stringify(req.cwd)} is not an absolute path`, 'pass the absolute working directory of the agent');
  }
  if (req.model !== undefined && (req.model.length === 0 || /\s/.test(req.model) || req.model.startsWith('-'))) {
    throw new InvalidArgumentError(`${field}.model`, `${JSON.stringify(req.model)} is not a model name`, 'pass a name such as "sonnet" or "claude-sonnet-4-5-20250929", or omit it');
  }
  for (const name of Object.keys(req.env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new InvalidArgumentError(`${field}.env`, `${JSON.stringify(name)} is not an environment variable name`, 'use names made of letters, digits and _');
    }
  }
  if (req.nonInteractive && (req.prompt === undefined || req.prompt.trim().length === 0)) {
    throw new InvalidArgumentError(`${field}.prompt`, 'a non-interactive run needs a prompt', 'pass the job as `prompt`, or drop `nonInteractive`');
  }
}

function commonArgs(req: Omit<SpawnRequest, 'sessionId'>, field: string): string[] {
  const args: string[] = [];
  if (req.model !== undefined) args.push('--model', req.model);
  if (req.permissionMode !== undefined) args.push('--permission-mode', claudePermissionMode(req.permissionMode, `${field}.permissionMode`));
  return args;
}

/** `-p <prompt> --output-format stream-json --verbose`; a prompt starting with `-` goes after `--`. */
function printArgs(prompt: string): string[] {
  const format = ['--output-format', 'stream-json', '--verbose'];
  return prompt.startsWith('-') ? [...format, '-p', '--', prompt] : ['-p', prompt, ...format];
}

function finish(
  binary: string,
  req: Omit<SpawnRequest, 'sessionId'>,
  args: string[],
  sessionId: string | undefined,
): CommandSpec {
  const spec: CommandSpec = { command: binary, args, env: { ...(req.env ?? {}) }, cwd: req.cwd };
  if (sessionId !== undefined) spec.sessionId = sessionId;
  if (req.nonInteractive && req.prompt !== undefined) {
    spec.args = [...args, ...printArgs(req.prompt)];
    spec.outputFormat = CLAUDE_STREAM_FORMAT;
  }
  return spec;
}

/**
 * `claude --session-id <uuid> [--model M] [--permission-mode P]`, plus `-p <prompt> --output-format stream-json
 * --verbose` for a non-interactive run. The session id is preset (a fresh UUID when the request has none) so the
 * transcript is known up front. An interactive prompt is not put on the command line: the lifecycle types it.
 * @throws InvalidArgumentError naming the field for a relative cwd, a non-UUID session id, a bad model or env name,
 * an unknown permission mode, or a non-interactive run without a prompt.
 */
export function buildClaudeSpawnCommand(binary: string, req: SpawnRequest): CommandSpec {
  checkCommon(req, 'spawn');
  const sessionId = req.sessionId === undefined ? randomUUID() : checkSessionId(req.sessionId, 'spawn.sessionId');
  return finish(binary, req, ['--session-id', sessionId, ...commonArgs(req, 'spawn')], sessionId);
}

/** `claude --resume <id>` (or `--continue` for the latest session in `cwd`) with the common flags. */
export function buildClaudeResumeCommand(binary: string, req: ResumeRequest): CommandSpec {
  checkCommon(req, 'resume');
  const sessionId = req.sessionId === undefined ? undefined : checkSessionId(req.sessionId, 'resume.sessionId');
  const head = sessionId === undefined ? ['--continue'] : ['--resume', sessionId];
  return finish(binary, req, [...head, ...commonArgs(req, 'resume')], sessionId);
}

/** `claude --resume <from> --fork-session --session-id <new>`; the new id is a fresh UUID unless given. */
export function buildClaudeForkCommand(binary: string, req: ForkRequest): CommandSpec {
  checkCommon(req, 'fork');
  const from = checkSessionId(req.fromSessionId, 'fork.fromSessionId');
  const sessionId = req.newSessionId === undefined ? randomUUID() : checkSessionId(req.newSessionId, 'fork.newSessionId');
  if (sessionId === from) {
    throw new InvalidArgumentError('fork.newSessionId', 'equals fromSessionId', 'omit newSessionId or pass a different UUID');
  }
  const args = ['--resume', from, '--fork-session', '--session-id', sessionId, ...commonArgs(req, 'fork')];
  return finish(binary, req, args, sessionId);
}

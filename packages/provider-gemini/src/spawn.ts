import { isAbsolute } from 'node:path';
import {
  InvalidArgumentError,
  UnsupportedCapabilityError,
  type CommandSpec,
  type PermissionMode,
  type ResumeRequest,
  type SpawnRequest,
} from '@agentmux/core';

/** Gemini CLI's `--approval-mode` values. */
export type GeminiApprovalMode = 'default' | 'auto_edit' | 'yolo';

/** Output formats of a non-interactive run (`-p … --output-format <f>`). */
export type GeminiOutputFormat = 'json' | 'stream-json';

/** How a permission mode maps onto Gemini's flags. */
export interface ApprovalMapping {
  approvalMode: GeminiApprovalMode;
  /** Set when the mapping is not exact. */
  note?: string;
}

/**
 * Maps core permission modes: `default` → `default`, `accept-edits` → `auto_edit`, `bypass` → `yolo`,
 * `plan` → `default` with a note (Gemini CLI has no read-only plan mode; every tool call asks first).
 */
export function mapPermissionMode(mode: PermissionMode): ApprovalMapping {
  switch (mode) {
    case 'default':
      return { approvalMode: 'default' };
    case 'accept-edits':
      return { approvalMode: 'auto_edit' };
    case 'bypass':
      return { approvalMode: 'yolo' };
    case 'plan':
      return {
        approvalMode: 'default',
        note: 'Gemini CLI has no plan mode: started with --approval-mode default, so every tool call asks for approval.',
      };
    default:
      throw new InvalidArgumentError(
        'permissionMode',
        `unknown permission mode ${JSON.stringify(mode)}`,
        'use one of default, plan, accept-edits, bypass',
      );
  }
}

/** Options of the command builders (from the provider settings). */
export interface GeminiCommandOptions {
  /** Executable; default `gemini` (resolved on PATH by the backend). */
  binary?: string;
  /** `--output-format` for non-interactive runs; default `json`. */
  outputFormat?: GeminiOutputFormat;
}

const SESSION_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkCwd(field: string, cwd: unknown): string {
  if (typeof cwd !== 'string' || cwd.length === 0 || !isAbsolute(cwd)) {
    throw new InvalidArgumentError(field, `expected an absolute directory, got ${JSON.stringify(cwd)}`, 'pass an absolute path, e.g. path.resolve(dir)');
  }
  return cwd;
}

function checkModel(field: string, model: unknown): string {
  if (typeof model !== 'string' || model.trim().length === 0 || model.startsWith('-') || /\s/.test(model)) {
    throw new InvalidArgumentError(field, `expected a model name, got ${JSON.stringify(model)}`, 'pass a name such as gemini-2.5-pro, or omit it for the CLI default');
  }
  return model;
}

function checkEnv(field: string, env: unknown): Record<string, string> {
  if (env === undefined) return {};
  if (env === null || typeof env !== 'object' || Array.isArray(env)) {
    throw new InvalidArgumentError(field, 'expected an object of strings', 'pass e.g. { FOO: "bar" }');
  }
  for (const [k, v] of Object.entries(env)) {
    if (typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
      throw new InvalidArgumentError(`${field}.${k}`, 'expected a variable name with a string value', 'use NAME: "value" pairs');
    }
  }
  return { ...(env as Record<string, string>) };
}

function commonArgs(field: string, req: Omit<SpawnRequest, 'sessionId'>, opts: GeminiCommandOptions): { args: string[]; outputFormat?: string } {
  const args: string[] = [];
  if (req.model !== undefined) args.push('--model', checkModel(`${field}.model`, req.model));
  if (req.permissionMode !== undefined) args.push('--approval-mode', mapPermissionMode(req.permissionMode).approvalMode);
  if (!req.nonInteractive) return { args };
  if (typeof req.prompt !== 'string' || req.prompt.trim().length === 0) {
    throw new InvalidArgumentError(`${field}.prompt`, 'a non-interactive run needs a prompt', 'pass prompt, or set nonInteractive: false and type the prompt after start');
  }
  const format = opts.outputFormat ?? 'json';
  // `--prompt=<text>` keeps a prompt that starts with "-" from being read as a flag.
  args.push(`--prompt=${req.prompt}`, '--output-format', format);
  return { args, outputFormat: `gemini-${format}` };
}

/**
 * `gemini [--model M] [--approval-mode A] [--prompt=<p> --output-format json|stream-json]` as an argv array.
 * Gemini CLI cannot preset a session id: `sessionId` throws `UnsupportedCapabilityError`. In interactive mode
 * the prompt is not put on the command line (the lifecycle types it after start).
 */
export function buildSpawnCommand(req: SpawnRequest, opts: GeminiCommandOptions = {}): CommandSpec {
  if (req === null || typeof req !== 'object') {
    throw new InvalidArgumentError('spawn', 'expected a request object', 'pass { cwd, … }');
  }
  const cwd = checkCwd('spawn.cwd', req.cwd);
  if (req.sessionId !== undefined) {
    throw new UnsupportedCapabilityError('provider:gemini', 'preset-session-id', 'Gemini CLI picks its own session id; omit sessionId and match the session from its transcript.');
  }
  const { args, outputFormat } = commonArgs('spawn', req, opts);
  const spec: CommandSpec = { command: opts.binary ?? 'gemini', args, env: checkEnv('spawn.env', req.env), cwd };
  if (outputFormat) spec.outputFormat = outputFormat;
  return spec;
}

/**
 * `gemini --resume <id>|latest …`: resumes the given session, or the latest one of `cwd` when `sessionId` is
 * absent. The command writes to the resumed session (its id is known up front when given).
 */
export function buildResumeCommand(req: ResumeRequest, opts: GeminiCommandOptions = {}): CommandSpec {
  if (req === null || typeof req !== 'object') {
    throw new InvalidArgumentError('resume', 'expected a request object', 'pass { cwd, sessionId?, … }');
  }
  const cwd = checkCwd('resume.cwd', req.cwd);
  if (req.sessionId !== undefined && (typeof req.sessionId !== 'string' || !SESSION_ID_RE.test(req.sessionId))) {
    throw new InvalidArgumentError('resume.sessionId', `not a session id: ${JSON.stringify(req.sessionId)}`, 'pass the session UUID from the transcript, or omit it to resume the latest session');
  }
  const { args, outputFormat } = commonArgs('resume', req, opts);
  const spec: CommandSpec = {
    command: opts.binary ?? 'gemini',
    args: ['--resume', req.sessionId ?? 'latest', ...args],
    env: checkEnv('resume.env', req.env),
    cwd,
  };
  if (req.sessionId) spec.sessionId = req.sessionId;
  if (outputFormat) spec.outputFormat = outputFormat;
  return spec;
}

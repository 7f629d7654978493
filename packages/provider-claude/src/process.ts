import type { AgentProcess, ProcessInfo, ProcessMatch } from '@agentmux/core';

/** Runtimes that may run the CLI's JavaScript entry (`node /…/bin/claude`, `node …/cli.js`). */
const RUNTIMES = new Set(['node', 'nodejs', 'bun', 'deno', 'tsx']);
/** Runtime flags that take a separate value, skipped when looking for the script. */
const RUNTIME_VALUE_FLAGS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--title', '--inspect-port', '--conditions', '-C']);
/** Runtime flags that mean "no script file": the process is not the CLI. */
const RUNTIME_EVAL_FLAGS = new Set(['-e', '--eval', '-p', '--print', '-i', '--interactive', '-c', '--check']);
/** First arguments that make `claude` a utility command rather than an agent session. */
const NON_AGENT_SUBCOMMANDS = new Set(['mcp', 'config', 'doctor', 'update', 'upgrade', 'install', 'migrate-installer', 'setup-token', 'plugin', 'plugins', 'completion']);
const INFO_FLAGS = new Set(['--version', '-v', '-V', '--help', '-h']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts.at(-1) ?? path;
}

/**
 * True when `path` is the Claude Code CLI: an executable named `claude` (npm bin link, native installer link, the
 * testkit fake), the npm package's entry (`@anthropic-ai/claude-code/cli.js`) or a native build
 * (`…/claude/versions/2.0.31`).
 */
export function isClaudeEntry(path: string): boolean {
  const name = baseName(path);
  if (name === 'claude' || name === 'claude.exe') return true;
  const unix = path.replace(/\\/g, '/');
  if (/\/@anthropic-ai\/claude-code\/(?:cli\.m?js|bin\/claude(?:\.m?js)?)$/.test(unix)) return true;
  return /\/claude\/versions\/\d+\.\d+\.\d+[^/]*$/.test(unix);
}

/** Skips a leading `/usr/bin/env [-S] [NAME=value…]` (shebang `#!/usr/bin/env node` shows it briefly). */
function skipEnv(argv: readonly string[]): number {
  if (baseName(argv[0] ?? '') !== 'env') return 0;
  let i = 1;
  while (i < argv.length && ((argv[i] ?? '').startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i] ?? ''))) i += 1;
  return i;
}

/** Index of the CLI's own argv[0] (the executable or the script behind a runtime), or -1 when not ours. */
function entryIndex(argv: readonly string[]): number {
  const start = skipEnv(argv);
  const first = argv[start];
  if (first === undefined) return -1;
  if (isClaudeEntry(first)) return start;
  if (!RUNTIMES.has(baseName(first).replace(/\.exe$/, ''))) return -1;
  for (let i = start + 1; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') return isClaudeEntry(argv[i + 1] ?? '') ? i + 1 : -1;
    if (!arg.startsWith('-')) return isClaudeEntry(arg) ? i : -1;
    if (RUNTIME_EVAL_FLAGS.has(arg)) return -1;
    if (RUNTIME_VALUE_FLAGS.has(arg)) i += 1;
  }
  return -1;
}

/** What the CLI's own arguments say. */
export interface ClaudeArgv {
  sessionId?: string;
  resumeId?: string;
  continuesLatest: boolean;
  forks: boolean;
  nonInteractive: boolean;
  model?: string;
  permissionMode?: string;
}

/** Parses the CLI's arguments (those after its entry), `--flag value` and `--flag=value` forms. */
export function parseClaudeArgs(args: readonly string[]): ClaudeArgv {
  const out: ClaudeArgv = { continuesLatest: false, forks: false, nonInteractive: false };
  for (let i = 0; i < args.length; i += 1) {
    const raw = args[i] ?? '';
    if (raw === '--') break;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const next = (): string | undefined => {
      if (inline !== undefined) return inline;
      const value = args[i + 1];
      if (value === undefined || value.startsWith('-')) return undefined;
      i += 1;
      return value;
    };
    switch (flag) {
      case '--session-id':
        out.sessionId = next();
        break;
      case '--resume':
      case '-r':
        out.resumeId = next();
        break;
      case '--continue':
      case '-c':
        out.continuesLatest = true;
        break;
      case '--fork-session':
        out.forks = true;
        break;
      case '--print':
      case '-p':
        out.nonInteractive = true;
        break;
      case '--model':
        out.model = next();
        break;
      case '--permission-mode':
        out.permissionMode = next();
        break;
      default:
        if (/^-[a-zA-Z]{2,}$/.test(raw)) {
          if (raw.includes('p')) out.nonInteractive = true;
          if (raw.includes('c')) out.continuesLatest = true;
        }
    }
  }
  return out;
}

/**
 * Recognises Claude Code in a process-table row: `claude …`, a native build, or a runtime running the CLI's entry
 * (`node /…/bin/claude`, `node …/@anthropic-ai/claude-code/cli.js`). Utility subcommands (`claude mcp serve`,
 * `claude doctor`, `--version`) and anything else (`grep claude`, `vim claude.md`, other CLIs, `node -e …`) give
 * `null`. When argv is unreadable, a process named `claude` still matches, without argv facts.
 */
export function matchClaudeProcess(proc: ProcessInfo): ProcessMatch | null {
  let index = entryIndex(proc.argv);
  if (index < 0) {
    if (proc.argv.length > 0 || proc.name !== 'claude') return null;
    index = -1;
  }
  const args = index >= 0 ? proc.argv.slice(index + 1) : [];
  const first = args[0];
  if (first !== undefined && NON_AGENT_SUBCOMMANDS.has(first)) return null;
  if (args.some((a) => INFO_FLAGS.has(a))) return null;
  const parsed = parseClaudeArgs(args);
  const process: AgentProcess = { pid: proc.pid, ppid: proc.ppid, providerId: 'claude', argv: [...proc.argv], childPids: [] };
  if (proc.cwd !== undefined) process.cwd = proc.cwd;
  if (proc.startedAt !== undefined) process.startedAt = proc.startedAt;
  const match: ProcessMatch = { process };
  const resumeUuid = parsed.resumeId !== undefined && UUID.test(parsed.resumeId) ? parsed.resumeId.toLowerCase() : undefined;
  const presetId = parsed.sessionId !== undefined && UUID.test(parsed.sessionId) ? parsed.sessionId.toLowerCase() : undefined;
  // A fork writes a new session: only a preset --session-id names it; the --resume id is the source.
  const sessionId = parsed.forks ? presetId : (presetId ?? resumeUuid);
  if (sessionId !== undefined) match.sessionId = sessionId;
  if (parsed.continuesLatest) match.continuesLatest = true;
  if (parsed.nonInteractive) match.nonInteractive = true;
  if (parsed.model !== undefined) match.model = parsed.model;
  return match;
}

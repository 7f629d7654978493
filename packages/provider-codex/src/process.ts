import type { ProcessInfo, ProcessMatch } from '@agentmux/core';
import { CODEX_PROVIDER_ID } from './paths.js';

/**
 * Executable names of the Codex CLI: `codex`, the npm entry script `codex.js`, the vendored native
 * binaries (`codex-x86_64-unknown-linux-musl`, `codex-aarch64-apple-darwin`, …) and `.exe` forms.
 */
const CODEX_EXE = /^codex(?:\.js|\.mjs|\.cjs|-(?:x86_64|aarch64|arm64)-[a-z0-9_-]+)?(?:\.exe)?$/i;
/** Script runners that may wrap the npm entry script. */
const RUNNERS = /^(?:node|nodejs|bun|deno|tsx)(?:\d+(?:\.\d+)*)?(?:\.exe)?$/i;
/** Node options that take a separate value (`node --require x script`). */
const NODE_VALUE_OPTIONS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '-C', '--title', '--stack-size', '--max-old-space-size', '--inspect-port', '--env-file']);

/** Subcommands that run an agent session. */
const SESSION_SUBCOMMANDS = new Set(['exec', 'e', 'resume', 'fork']);
/** Subcommands that are tools, not agent sessions. */
const TOOL_SUBCOMMANDS = new Set([
  'login', 'logout', 'mcp', 'mcp-server', 'app-server', 'completion', 'debug', 'apply', 'a', 'sandbox', 'help',
  'generate-ts', 'features', 'cloud', 'cloud-tasks', 'proto', 'p', 'responses-api-proxy', 'stdio-to-uds',
  'doctor', 'update', 'upgrade', 'execpolicy', 'app',
]);
/** Options that take a value (`-m gpt-5`, `--model gpt-5`; `--model=gpt-5` is handled separately). */
const VALUE_OPTIONS = new Set([
  '-m', '--model', '-c', '--config', '-p', '--profile', '-s', '--sandbox', '-a', '--ask-for-approval', '-C', '--cd',
  '-i', '--image', '--add-dir', '--local-provider', '--enable', '--disable', '--output-schema', '-o',
  '--output-last-message', '--color', '--remote', '--remote-auth-token-env',
]);

const basename = (p: string): string => p.split(/[\\/]/).pop() ?? p;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Finds where Codex's own arguments start: after `codex`, or after `node [opts] …/codex.js`. */
function codexArgs(proc: ProcessInfo): string[] | null {
  const argv = proc.argv;
  const first = argv[0];
  if (first === undefined) return proc.name === 'codex' ? [] : null;
  if (CODEX_EXE.test(basename(first))) return argv.slice(1);
  if (!RUNNERS.test(basename(first))) return null;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('-')) {
      if (NODE_VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    // The first non-option argument is the script: it must be Codex's entry point.
    const isCodexScript = CODEX_EXE.test(basename(arg)) || /[\\/]@openai[\\/]codex[\\/]bin[\\/]/.test(arg);
    return isCodexScript ? argv.slice(i + 1) : null;
  }
  return null;
}

interface ParsedArgs {
  positionals: string[];
  model?: string;
  last: boolean;
  configs: string[];
}

function parseArgs(args: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], last: false, configs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      out.positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.includes('=')) {
      const [name, ...rest] = arg.split('=');
      const value = rest.join('=');
      if (name === '--model') out.model = value;
      if (name === '--config') out.configs.push(value);
      continue;
    }
    if (VALUE_OPTIONS.has(arg)) {
      const value = args[i + 1];
      i++;
      if (value === undefined) break;
      if (arg === '-m' || arg === '--model') out.model = value;
      if (arg === '-c' || arg === '--config') out.configs.push(value);
      continue;
    }
    if (/^-m./.test(arg)) {
      out.model = arg.slice(2);
      continue;
    }
    if (arg === '--last') out.last = true;
    if (arg.startsWith('-')) continue;
    out.positionals.push(arg);
  }
  return out;
}

/**
 * Recognises a Codex CLI process: the native binary or `node …/codex.js` (npm), never `grep codex`, an
 * editor opening a file named codex, or another CLI. Only session-running invocations match (interactive,
 * `exec`, `resume`, `fork`); tool subcommands (`login`, `mcp`, `app-server`, …) and `--version`/`--help`
 * do not. With npm installs both the node wrapper and its native child match; collapse a match whose
 * parent also matched. `-p` is Codex's `--profile`, not a prompt: non-interactive means `exec`.
 */
export function matchCodexProcess(proc: ProcessInfo): ProcessMatch | null {
  const args = codexArgs(proc);
  if (args === null) return null;
  if (args.some((a) => a === '--version' || a === '-V' || a === '--help' || a === '-h')) return null;
  const parsed = parseArgs(args);
  let rest = parsed.positionals;
  let nonInteractive = false;
  let resume = false;
  let fork = false;
  const sub = rest[0];
  if (sub !== undefined && TOOL_SUBCOMMANDS.has(sub)) return null;
  if (sub !== undefined && SESSION_SUBCOMMANDS.has(sub)) {
    rest = rest.slice(1);
    if (sub === 'exec' || sub === 'e') {
      nonInteractive = true;
      if (rest[0] === 'resume') {
        resume = true;
        rest = rest.slice(1);
      } else if (rest[0] !== undefined && TOOL_SUBCOMMANDS.has(rest[0])) {
        return null;
      }
    } else if (sub === 'resume') {
      resume = true;
    } else {
      fork = true;
    }
  }
  let sessionId: string | undefined;
  if (resume && !parsed.last && rest[0] !== undefined) sessionId = rest[0];
  // Older versions resumed through `-c experimental_resume=<rollout path>`.
  for (const config of parsed.configs) {
    const m = /^experimental_resume\s*=\s*(.+)$/.exec(config);
    const id = m?.[1] ? UUID.exec(m[1])?.[0] : undefined;
    if (id) sessionId = id.toLowerCase();
  }
  return {
    process: {
      pid: proc.pid,
      ppid: proc.ppid,
      providerId: CODEX_PROVIDER_ID,
      argv: [...proc.argv],
      ...(proc.cwd !== undefined ? { cwd: proc.cwd } : {}),
      ...(proc.startedAt !== undefined ? { startedAt: proc.startedAt } : {}),
      childPids: [],
    },
    ...(sessionId !== undefined && !fork ? { sessionId } : {}),
    ...(resume && parsed.last ? { continuesLatest: true } : {}),
    ...(nonInteractive ? { nonInteractive: true } : {}),
    ...(parsed.model !== undefined ? { model: parsed.model } : {}),
  };
}

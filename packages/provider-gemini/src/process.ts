import { basename } from 'node:path';
import type { AgentProcess, ProcessInfo, ProcessMatch } from '@agentmux/core';
import { GEMINI_PROVIDER_ID } from './paths.js';

/** Interpreters that may run the CLI's entry script. */
const RUNTIME_RE = /^(node|nodejs|node\d+|bun|tsx)(\.exe)?$/i;
/** Node options that take a separate value (`--require x`). */
const RUNTIME_VALUE_FLAGS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--inspect-port', '--title', '-C', '--conditions']);

/** Gemini options that take a value, so their value is not mistaken for a positional prompt. */
const VALUE_FLAGS = new Set([
  '-m', '--model', '-p', '--prompt', '-i', '--prompt-interactive', '--approval-mode', '-o', '--output-format',
  '-r', '--resume', '-e', '--extensions', '--include-directories', '--allowed-tools', '--allowed-mcp-server-names',
  '--telemetry-target', '--telemetry-otlp-endpoint', '--telemetry-otlp-protocol', '--telemetry-outfile', '--proxy',
  '--sandbox-image', '--session-id', '--delete-session', '--policy', '--admin-policy',
]);
/** Subcommands and flags that make the process something other than an agent session. */
const NON_SESSION_COMMANDS = new Set(['mcp', 'extensions', 'extension', 'skills', 'skill', 'hooks', 'hook']);
const NON_SESSION_FLAGS = new Set(['-v', '--version', '-h', '--help', '--list-sessions', '--delete-session', '-l', '--list-extensions']);

function isGeminiScript(path: string): boolean {
  const base = basename(path).toLowerCase();
  if (base === 'gemini' || base === 'gemini.js' || base === 'gemini.mjs' || base === 'gemini.cjs') return true;
  const norm = path.replace(/\\/g, '/');
  return /\/@google\/gemini-cli\/(dist|bundle|build)\/[^/]+\.(m?js|cjs)$/.test(norm) || /\/@google\/gemini-cli\/?$/.test(norm);
}

/**
 * Finds where Gemini's own arguments start: argv[0] is `gemini`, or a runtime (`node`, `bun`, …) whose
 * script (after runtime flags) is a file named `gemini` / `gemini.js` or the `@google/gemini-cli` package's
 * entry. Returns the index of the first Gemini argument, or -1 when this is not Gemini.
 */
function geminiArgsStart(argv: readonly string[]): number {
  const first = argv[0];
  if (first === undefined) return -1;
  if (basename(first) === 'gemini') return 1;
  if (!RUNTIME_RE.test(basename(first))) return -1;
  let i = 1;
  while (i < argv.length) {
    const a = argv[i] as string;
    if (a === '--') {
      i += 1;
      break;
    }
    if (!a.startsWith('-')) break;
    i += RUNTIME_VALUE_FLAGS.has(a) ? 2 : 1;
  }
  const script = argv[i];
  return script !== undefined && isGeminiScript(script) ? i + 1 : -1;
}

function flagValue(args: readonly string[], i: number): { value: string | undefined; next: number } {
  const a = args[i] as string;
  const eq = a.indexOf('=');
  if (a.startsWith('--') && eq > 0) return { value: a.slice(eq + 1), next: i + 1 };
  const v = args[i + 1];
  if (v === undefined || (v.startsWith('-') && v.length > 1)) return { value: undefined, next: i + 1 };
  return { value: v, next: i + 2 };
}

const UUIDISH = /^[0-9a-f]{8}(-?[0-9a-f]{4}){3}-?[0-9a-f]{12}$/i;

/**
 * Recognises Gemini CLI in a process-table row: `gemini …`, `node /…/bin/gemini …`,
 * `node --max-old-space-size=… /…/@google/gemini-cli/dist/index.js …` (the CLI relaunches itself this way).
 * Rejects `grep gemini`, editors opening a file named gemini, other CLIs, and `gemini mcp|extensions …` or
 * `--version`/`--help`/`--list-sessions` runs that are not sessions. When argv is unreadable, a process
 * named `gemini` matches with nothing parsed. Parses `--resume <id>|latest` (`-r`), `--session-id`,
 * `--model`/`-m`, and `-p`/`--prompt` or a positional prompt (non-interactive unless `-i`).
 */
export function matchGeminiProcess(proc: ProcessInfo): ProcessMatch | null {
  const argv = proc.argv;
  let start: number;
  if (argv.length === 0) {
    if (proc.name !== 'gemini') return null;
    start = 0;
  } else {
    start = geminiArgsStart(argv);
    if (start < 0) return null;
  }
  const args = argv.slice(start);
  const match: Omit<ProcessMatch, 'process'> = {};
  let positional = false;
  let interactivePrompt = false;
  for (let i = 0; i < args.length; ) {
    const a = args[i] as string;
    const name = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (NON_SESSION_FLAGS.has(name)) return null;
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') {
      if (!positional && NON_SESSION_COMMANDS.has(a)) return null;
      positional = true;
      i += 1;
      continue;
    }
    if (!VALUE_FLAGS.has(name)) {
      i += 1;
      continue;
    }
    const { value, next } = flagValue(args, i);
    i = next;
    switch (name) {
      case '-m':
      case '--model':
        if (value) match.model = value;
        break;
      case '-p':
      case '--prompt':
        match.nonInteractive = true;
        break;
      case '-i':
      case '--prompt-interactive':
        interactivePrompt = true;
        break;
      case '-r':
      case '--resume':
        if (value === undefined || value === 'latest') match.continuesLatest = true;
        else if (UUIDISH.test(value) || !/^\d+$/.test(value)) match.sessionId = value;
        break;
      case '--session-id':
        if (value) match.sessionId = value;
        break;
      default:
        break;
    }
  }
  if (positional && !interactivePrompt) match.nonInteractive = true;
  const process: AgentProcess = {
    pid: proc.pid,
    ppid: proc.ppid,
    providerId: GEMINI_PROVIDER_ID,
    argv: [...argv],
    childPids: [],
  };
  if (proc.cwd) process.cwd = proc.cwd;
  if (proc.startedAt) process.startedAt = proc.startedAt;
  return { process, ...match };
}

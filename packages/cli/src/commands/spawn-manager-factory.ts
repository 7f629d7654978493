// Shared by `spawn`, `send`, `peek`, `kill` and `attach`: option parsing and the agent manager they use.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createAgentManager,
  createHeadlessBackend,
  createTmuxBackend,
  type AgentManager,
  type ProviderV1,
  type SessionBackendV1,
} from '@agentmux/core';
import { createClaudeProvider } from '@agentmux/provider-claude';
import { createCodexProvider } from '@agentmux/provider-codex';
import { createGeminiProvider } from '@agentmux/provider-gemini';
import { UsageError, type CommandIo } from '../command.js';

/** Options every lifecycle command accepts. */
export const LIFECYCLE_ARGS_USAGE = `  --state-dir <dir>      fleet state (records, queues, logs, tmux socket); default $AGENTMUX_STATE_DIR or ~/.agentmux
  --socket-name <name>   use the tmux server \`tmux -L <name>\` instead of the fleet's private socket`;

/** A parsed command line: flags with values, boolean flags, positionals. */
export interface ParsedArgs {
  values: Map<string, string[]>;
  flags: Set<string>;
  positionals: string[];
}

/**
 * Parses `argv` strictly: `valued` flags take the next argument (repeatable), `booleans` take none, anything
 * else starting with `-` is a usage error. `--` ends options.
 */
export function parseArgs(argv: readonly string[], valued: readonly string[], booleans: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { values: new Map(), flags: new Set(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (valued.includes(a)) {
      const v = argv[i + 1];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      out.values.set(a, [...(out.values.get(a) ?? []), v]);
      i++;
    } else if (booleans.includes(a)) out.flags.add(a);
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option "${a}"`);
    else out.positionals.push(a);
  }
  return out;
}

/** The last value of a flag. */
export function valueOf(args: ParsedArgs, flag: string): string | undefined {
  const all = args.values.get(flag);
  return all?.[all.length - 1];
}

/** A positive integer flag value, or the default. */
export function intOf(args: ParsedArgs, flag: string, fallback: number, min = 0): number {
  const raw = valueOf(args, flag);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} "${raw}": expected an integer >= ${min}`);
  return n;
}

/** The fleet state directory from `--state-dir`, `$AGENTMUX_STATE_DIR` or `~/.agentmux`. */
export function stateDirOf(args: ParsedArgs, io: CommandIo): string {
  const dir = valueOf(args, '--state-dir') ?? io.env['AGENTMUX_STATE_DIR'] ?? join(io.env['HOME'] ?? homedir(), '.agentmux');
  return resolve(io.cwd, dir);
}

/** The CLI's providers, honouring `AGENTMUX_<ID>_BINARY` from the command's environment. */
export function cliProviders(env: CommandIo['env']): ProviderV1[] {
  const bin = (id: string) => env[`AGENTMUX_${id.toUpperCase()}_BINARY`] || undefined;
  const claude = bin('claude');
  const codex = bin('codex');
  const gemini = bin('gemini');
  return [
    createClaudeProvider(claude ? { binaryPath: claude } : {}),
    createCodexProvider(codex ? { binaryPath: codex } : {}),
    createGeminiProvider(gemini ? { binaryPath: gemini } : {}),
  ];
}

/** A manager for one CLI invocation (no watchdog: the agents outlive the command). Dispose both. */
export interface CliManager extends AsyncDisposable {
  manager: AgentManager;
  backend: SessionBackendV1;
  /** tmux socket arguments, when the backend is tmux. */
  socketArgs: readonly string[];
}

/** Opens the manager over the fleet's tmux server (or a headless backend for `--backend headless`). */
export function openManager(args: ParsedArgs, io: CommandIo, backendId: 'tmux' | 'headless' = 'tmux'): CliManager {
  const stateDir = stateDirOf(args, io);
  const socketName = valueOf(args, '--socket-name');
  const tmux = backendId === 'tmux' ? createTmuxBackend(socketName ? { socketName } : { stateDir }) : null;
  const backend: SessionBackendV1 = tmux ?? createHeadlessBackend();
  const manager = createAgentManager({ backend, stateDir, providers: cliProviders(io.env), env: io.env, watchdog: false });
  return {
    manager,
    backend,
    socketArgs: tmux?.socketArgs ?? [],
    async [Symbol.asyncDispose]() {
      await manager[Symbol.asyncDispose]();
      await backend[Symbol.asyncDispose]();
    },
  };
}

/** Prints `value` as JSON, or `text` otherwise. */
export function printResult(io: CommandIo, json: boolean, value: unknown, text: string): void {
  io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : text.endsWith('\n') ? text : `${text}\n`);
}

import type { CliCommand } from '../command.js';

/**
 * A subcommand as `agentmux --help` lists it. Its module (and everything that module imports) is loaded only when
 * the command runs or its `--help` is asked for, so that `agentmux <name>` starts without loading every command.
 */
export interface LazyCliCommand {
  /** Subcommand name, e.g. `costs`; equal to the loaded command's `name`. */
  name: string;
  /** One-line description for `agentmux --help`; equal to the loaded command's `summary`. */
  summary: string;
  /** Imports the command's module. */
  load: () => Promise<CliCommand>;
}

/** Every subcommand, in the order `agentmux --help` lists them. Each lives in its own file. */
export const commands: readonly LazyCliCommand[] = [
  { name: 'ps', summary: 'List running agents: provider, model, status, project, age, tokens, cost', load: async () => (await import('./ps.js')).psCommand },
  { name: 'top', summary: 'Live full-screen dashboard of running agents (sort, filter, kill, budgets)', load: async () => (await import('./top.js')).topCommand },
  { name: 'costs', summary: 'Token usage and exact cost from the transcripts on disk, by session, project, model or day', load: async () => (await import('./costs.js')).costsCommand },
  { name: 'spawn', summary: 'Start an agent CLI in tmux (or headless), optionally in its own git worktree', load: async () => (await import('./spawn.js')).spawnCommand },
  { name: 'send', summary: 'Type a message into an agent and confirm it was submitted (queued while it works)', load: async () => (await import('./send.js')).sendCommand },
  { name: 'peek', summary: "Show the last lines of an agent's screen, or search every agent's output log", load: async () => (await import('./peek.js')).peekCommand },
  { name: 'kill', summary: 'Stop an agent: SIGTERM to its process group, SIGKILL after a grace period', load: async () => (await import('./kill.js')).killCommand },
  { name: 'attach', summary: "Hand the terminal to an agent's tmux session (detach with C-b d)", load: async () => (await import('./attach.js')).attachCommand },
];

import type { CliCommand } from '../command.js';

/** Every subcommand, in the order `agentmux --help` lists them. Each lives in its own file. */
export const commands: readonly CliCommand[] = [];

import type { CliCommand } from '../command.js';
import { attachCommand } from './attach.js';
import { costsCommand } from './costs.js';
import { killCommand } from './kill.js';
import { peekCommand } from './peek.js';
import { psCommand } from './ps.js';
import { sendCommand } from './send.js';
import { spawnCommand } from './spawn.js';
import { topCommand } from './top.js';

/** Every subcommand, in the order `agentmux --help` lists them. Each lives in its own file. */
export const commands: readonly CliCommand[] = [psCommand, topCommand, costsCommand, spawnCommand, sendCommand, peekCommand, killCommand, attachCommand];

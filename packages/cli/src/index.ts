export { UsageError, type CliCommand, type CommandIo } from './command.js';
export { commands } from './commands/index.js';
export { main, processIo } from './main.js';

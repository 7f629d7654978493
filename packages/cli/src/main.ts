import { UsageError, type CommandIo } from './command.js';
import { commands } from './commands/index.js';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ['Usage: agentmux <command> [options]', '', 'Commands:', ...lines, '', 'Run `agentmux <command> --help` for a command\'s options.', ''].join('\n');
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? 2 : 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`agentmux: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  // Only this command's module is loaded (start-up cost of the CLI is what that command imports).
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`agentmux ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    // Loaded here, not at start-up: commands that do not need core do not pay for it.
    const { AgentmuxError } = await import('@agentmux/core');
    if (AgentmuxError.isInstance(error)) {
      io.stderr(`agentmux ${name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The IO of the real process. */
export function processIo(): CommandIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTty: Boolean(process.stderr.isTTY),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

import { execa } from 'execa';
import { UsageError, type CliCommand, type CommandIo } from '../command.js';
import { LIFECYCLE_ARGS_USAGE, openManager, parseArgs } from './spawn-manager-factory.js';

/** The argv of `tmux attach` for an agent (exported for tests). */
export function attachArgv(socketArgs: readonly string[], name: string, readOnly: boolean): string[] {
  return [...socketArgs, 'attach-session', ...(readOnly ? ['-r'] : []), '-t', `=${name}:`];
}

export const attachCommand: CliCommand = {
  name: 'attach',
  summary: "Hand the terminal to an agent's tmux session (detach with C-b d)",
  usage: `Usage: agentmux attach <name> [options]

Options:
  --read-only            attach read-only (keys are not sent to the agent)
${LIFECYCLE_ARGS_USAGE}`,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseArgs(argv, ['--state-dir', '--socket-name'], ['--read-only']);
    const [name, ...extra] = args.positionals;
    if (!name) throw new UsageError('name the agent');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    let socketArgs: readonly string[];
    {
      await using cli = openManager(args, io);
      const record = await cli.manager.get(name);
      if (record.backend !== 'tmux') throw new UsageError(`agent "${name}" runs in the ${record.backend} backend; only tmux agents can be attached`);
      if (!(await cli.backend.isAlive(name))) io.stderr(`agentmux attach: ${name} is not running; showing its last screen\n`);
      socketArgs = cli.socketArgs;
    }
    if (!io.stdoutIsTty) throw new UsageError('attach needs a terminal');
    const result = await execa('tmux', attachArgv(socketArgs, name, args.flags.has('--read-only')), { stdio: 'inherit', reject: false });
    return result.exitCode ?? 1;
  },
};

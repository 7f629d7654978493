import { UsageError, type CliCommand, type CommandIo } from '../command.js';
import { LIFECYCLE_ARGS_USAGE, intOf, openManager, parseArgs, printResult } from './spawn-manager-factory.js';

export const killCommand: CliCommand = {
  name: 'kill',
  summary: "Stop an agent: SIGTERM to its process group, SIGKILL after a grace period",
  usage: `Usage: agentmux kill <name> [options]

Options:
  --grace <ms>           wait this long after SIGTERM before SIGKILL (default 3000)
  --json                 print the agent record as JSON
${LIFECYCLE_ARGS_USAGE}`,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseArgs(argv, ['--grace', '--state-dir', '--socket-name'], ['--json']);
    const [name, ...extra] = args.positionals;
    if (!name) throw new UsageError('name the agent');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    await using cli = openManager(args, io);
    const record = await cli.manager.kill(name, { graceMs: intOf(args, '--grace', 3000, 0) });
    printResult(io, args.flags.has('--json'), record, `killed ${name}`);
    return 0;
  },
};

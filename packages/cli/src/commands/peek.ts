import { UsageError, type CliCommand, type CommandIo } from '../command.js';
import { LIFECYCLE_ARGS_USAGE, intOf, openManager, parseArgs, printResult, valueOf } from './spawn-manager-factory.js';

export const peekCommand: CliCommand = {
  name: 'peek',
  summary: "Show the last lines of an agent's screen, or search every agent's output log",
  usage: `Usage: agentmux peek <name> [--lines <n>] [options]
       agentmux peek --search <pattern> [--regex] [options]

Options:
  --lines <n>            lines to show, scrollback included (default 40)
  --search <pattern>     search the output logs of all agents (plain text; --regex for a regular expression)
  --regex                treat the --search pattern as a JavaScript regular expression
  --json                 print JSON
${LIFECYCLE_ARGS_USAGE}`,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseArgs(argv, ['--lines', '--search', '--state-dir', '--socket-name'], ['--regex', '--json']);
    const json = args.flags.has('--json');
    const search = valueOf(args, '--search');
    await using cli = openManager(args, io);
    if (search !== undefined) {
      if (args.positionals.length > 0) throw new UsageError('--search looks at every agent: drop the agent name');
      let pattern: RegExp | string = search;
      if (args.flags.has('--regex')) {
        try {
          pattern = new RegExp(search);
        } catch (error) {
          throw new UsageError(`--search: invalid regular expression (${(error as Error).message})`);
        }
      }
      const matches = await cli.manager.search(pattern);
      printResult(io, json, matches, matches.map((m) => `${m.name}:${m.line}: ${m.text}`).join('\n') || 'no matches');
      return matches.length > 0 ? 0 : 1;
    }
    const [name, ...extra] = args.positionals;
    if (!name) throw new UsageError('name the agent (or use --search)');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const lines = intOf(args, '--lines', 40, 1);
    const screen = await cli.manager.peek(name, lines);
    printResult(io, json, { name, lines: screen.replace(/\n$/, '').split('\n') }, screen);
    return 0;
  },
};

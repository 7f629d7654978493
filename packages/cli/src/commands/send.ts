import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, type CliCommand, type CommandIo } from '../command.js';
import { LIFECYCLE_ARGS_USAGE, intOf, openManager, parseArgs, printResult, valueOf } from './spawn-manager-factory.js';

export const sendCommand: CliCommand = {
  name: 'send',
  summary: 'Type a message into an agent and confirm it was submitted (queued while it works)',
  usage: `Usage: agentmux send <name> [<text> | --file <file>] [options]

Types the text (short lines as keys, long or multi-line text as one bracketed paste), presses Enter and
waits until the agent's transcript shows the prompt. While the agent is working the message is queued on
disk and this command waits for the end of the turn (up to --wait); with --no-wait it returns at once and
the message is delivered by whoever supervises the fleet, or by the next send.

Options:
  --file <file>          read the text from a file
  --no-submit            type the text without pressing Enter
  --key <key>            idempotency key: a key that was delivered before is never delivered again
  --timeout <ms>         confirmation deadline once typed (default 30000)
  --wait <ms>            wait this long for a busy agent to finish its turn (default 300000)
  --no-wait              queue and return at once when the agent is busy
  --json                 print the result as JSON
${LIFECYCLE_ARGS_USAGE}`,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseArgs(argv, ['--file', '--key', '--timeout', '--wait', '--state-dir', '--socket-name'], ['--no-submit', '--no-wait', '--json']);
    const [name, text, ...extra] = args.positionals;
    if (!name) throw new UsageError('name the agent');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (quote the text as one argument)`);
    const file = valueOf(args, '--file');
    if ((text === undefined) === (file === undefined)) throw new UsageError('give the text as an argument or with --file (one of them)');
    const message = file !== undefined ? await readFile(resolve(io.cwd, file), 'utf8') : (text as string);
    const key = valueOf(args, '--key');
    await using cli = openManager(args, io);
    const result = await cli.manager.send(name, message, {
      submit: !args.flags.has('--no-submit'),
      timeoutMs: intOf(args, '--timeout', 30_000, 1),
      waitMs: args.flags.has('--no-wait') ? 0 : intOf(args, '--wait', 300_000, 0),
      ...(key !== undefined ? { idempotencyKey: key } : {}),
    });
    const text2 =
      result.status === 'delivered' ? `delivered to ${name} (confirmed by ${result.confirmedBy}, ${result.enterPresses} Enter, ${result.ms} ms)`
      : result.status === 'queued' ? `queued for ${name}: ${result.reason ?? ''} (message ${result.messageId})`
      : result.status === 'duplicate' ? `not sent: key "${key}" was already delivered to ${name}`
      : `typed into ${name} (not submitted)`;
    printResult(io, args.flags.has('--json'), result, text2);
    return 0;
  },
};

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isHeadlessBackend, type AgentRecord, type PermissionMode } from '@agentmux/core';
import { UsageError, type CliCommand, type CommandIo } from '../command.js';
import { LIFECYCLE_ARGS_USAGE, openManager, parseArgs, printResult, valueOf } from './spawn-manager-factory.js';

const PERMISSION_MODES: readonly PermissionMode[] = ['default', 'plan', 'accept-edits', 'bypass'];

/** Reads the prompt from `--prompt`, `--prompt-file` (`-` = stdin is not supported: pass a file). */
async function promptOf(args: ReturnType<typeof parseArgs>, io: CommandIo): Promise<string | undefined> {
  const inline = valueOf(args, '--prompt');
  const file = valueOf(args, '--prompt-file');
  if (inline !== undefined && file !== undefined) throw new UsageError('give --prompt or --prompt-file, not both');
  if (file !== undefined) return readFile(resolve(io.cwd, file), 'utf8');
  return inline;
}

function describe(record: AgentRecord): string {
  return [
    `spawned ${record.name} (${record.providerId}, ${record.backend}) pid ${record.pid ?? '?'}`,
    `  cwd      ${record.cwd}`,
    `  session  ${record.sessionId ?? '(learned from the transcript once it appears)'}`,
    ...(record.worktree ? [`  worktree ${record.worktree.path} (branch ${record.worktree.branch})`] : []),
    `  log      ${record.logFile}`,
  ].join('\n');
}

export const spawnCommand: CliCommand = {
  name: 'spawn',
  summary: 'Start an agent CLI in tmux (or headless), optionally in its own git worktree',
  usage: `Usage: agentmux spawn <provider> --name <name> [options]

Starts claude, codex or gemini in a detached tmux session of the fleet's private tmux server, records it
under <state-dir>/agents/<name>.json and, with --prompt, types the first prompt and waits until the
transcript shows it was submitted.

Options:
  --name <name>            agent name, [A-Za-z0-9_.-] (required)
  --cwd <dir>              working directory (default: the current directory)
  --model <model>          model for the CLI
  --permission-mode <m>    default | plan | accept-edits | bypass
  --prompt <text>          first prompt (verified delivery)
  --prompt-file <file>     first prompt read from a file
  --env KEY=VALUE          extra environment (repeatable); values are never written to disk
  --session-id <id>        session id to preset where the CLI allows it
  --worktree <base>        run in a new git worktree on branch agentmux/<name> from <base>
  --worktree-path <dir>    where to put the worktree (default <state-dir>/worktrees/<name>)
  --backend <b>            tmux (default) or headless (non-interactive run of --prompt; waits for the end)
  --json                   print the agent record (headless: the turn events) as JSON
${LIFECYCLE_ARGS_USAGE}`,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseArgs(
      argv,
      ['--name', '--cwd', '--model', '--permission-mode', '--prompt', '--prompt-file', '--env', '--session-id', '--worktree', '--worktree-path', '--backend', '--state-dir', '--socket-name'],
      ['--json'],
    );
    const [providerId, ...extra] = args.positionals;
    if (!providerId) throw new UsageError('name the provider: claude, codex or gemini');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const name = valueOf(args, '--name');
    if (!name) throw new UsageError('--name is required');
    const permissionMode = valueOf(args, '--permission-mode');
    if (permissionMode !== undefined && !PERMISSION_MODES.includes(permissionMode as PermissionMode)) {
      throw new UsageError(`--permission-mode "${permissionMode}": use one of ${PERMISSION_MODES.join(', ')}`);
    }
    const backendId = valueOf(args, '--backend') ?? 'tmux';
    if (backendId !== 'tmux' && backendId !== 'headless') throw new UsageError(`--backend "${backendId}": use tmux or headless`);
    const env: Record<string, string> = {};
    for (const pair of args.values.get('--env') ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--env "${pair.split('=')[0]}": expected KEY=VALUE`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const prompt = await promptOf(args, io);
    if (backendId === 'headless' && prompt === undefined) throw new UsageError('--backend headless needs --prompt or --prompt-file');
    const worktreeBase = valueOf(args, '--worktree');
    const worktreePath = valueOf(args, '--worktree-path');
    if (worktreePath !== undefined && worktreeBase === undefined) throw new UsageError('--worktree-path needs --worktree <base>');
    const json = args.flags.has('--json');
    await using cli = openManager(args, io, backendId);
    const events: unknown[] = [];
    if (backendId === 'headless') {
      for (const event of ['turn-started', 'tool-started', 'turn-ended'] as const) {
        cli.manager.on(event, (e) => {
          events.push({ event, ...e });
          if (!json) io.stderr(`${event}${event === 'tool-started' ? ` ${(e as { tool: { name: string } }).tool.name}` : ''}\n`);
        });
      }
    }
    const record = await cli.manager.spawn(providerId, {
      name, cwd: resolve(io.cwd, valueOf(args, '--cwd') ?? '.'), env,
      ...(valueOf(args, '--model') ? { model: valueOf(args, '--model') as string } : {}),
      ...(permissionMode ? { permissionMode: permissionMode as PermissionMode } : {}),
      ...(prompt !== undefined ? { prompt } : {}),
      ...(valueOf(args, '--session-id') ? { sessionId: valueOf(args, '--session-id') as string } : {}),
      ...(worktreeBase ? { worktree: { baseBranch: worktreeBase, ...(worktreePath ? { path: resolve(io.cwd, worktreePath) } : {}) } } : {}),
    });
    if (isHeadlessBackend(cli.backend)) {
      const code = await cli.backend.waitForExit(name);
      await new Promise((r) => setTimeout(r, 10));
      printResult(io, json, { record: await cli.manager.get(name), events, exitCode: code }, `${describe(record)}\n  exit     ${code ?? 'signal'}`);
      return code === 0 ? 0 : 1;
    }
    printResult(io, json, record, describe(record));
    return 0;
  },
};

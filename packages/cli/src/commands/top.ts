import { createFleet } from '@agentmux/core';
import type { CliCommand, CommandIo } from '../command.js';
import { FLEET_ARGS_USAGE, fleetOptions, parseFleetArgs } from '../tui/fleet-args.js';
import { createPaint } from '../tui/format.js';
import { TopApp } from '../tui/top-app.js';

/** Streams `top` runs on; default the process's. */
export interface TopStreams {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

export const topCommand: CliCommand = {
  name: 'top',
  summary: 'Live full-screen dashboard of running agents (sort, filter, kill, budgets)',
  usage: `Usage: agentmux top [options]

A live table of every agent (polled every 2 s, redrawn only on change): status, tokens, cost with colour
bands (green < $1, yellow < $5, red >= $5, magenta unknown), a totals row.
Keys: ↑/↓ select · s sort (cost, age, name) · / filter · Esc clear filter · k kill (asks first) · q quit.

Options:
  --poll <ms>            poll interval (default 2000)
  --budget <rule>        <scope>=<limit>[:<action>]: scope agent|project|day|total, limit USD (5) or tokens
                         (200k, 2M), action warn|pause|kill; e.g. --budget agent=5:kill (repeatable)
${FLEET_ARGS_USAGE}`,
  async run(argv: string[], io: CommandIo): Promise<number> {
    const args = parseFleetArgs(argv, { budgets: true, poll: true });
    return runTop(args, io, { input: process.stdin, output: process.stdout });
  },
};

/** Runs the dashboard until `q`; resolves to the exit code. */
export async function runTop(args: ReturnType<typeof parseFleetArgs>, io: CommandIo, streams: TopStreams): Promise<number> {
  if (!io.stdoutIsTty || !streams.input.isTTY) {
    io.stderr('agentmux top: needs a terminal (stdin and stdout). Use `agentmux ps` (or `ps --json`) in scripts.\n');
    return 2;
  }
  const fleet = createFleet(fleetOptions(args, io.env));
  const failures: string[] = [];
  fleet.on('provider-failed', (e) => failures.push(`${e.providerId} ${e.operation}: ${e.error instanceof Error ? e.error.message : String(e.error)}`));
  let quit: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (quit = resolve));
  const app = new TopApp(
    fleet,
    { write: (t) => void streams.output.write(t), columns: () => streams.output.columns ?? 80, rows: () => streams.output.rows ?? 24 },
    createPaint(!io.env['NO_COLOR']),
    () => quit(),
  );
  app.sort = args.sort;
  app.filter = args.filter;
  const onData = (chunk: Buffer | string) => app.handleInput(chunk.toString());
  const onResize = () => app.draw();
  streams.input.setRawMode(true);
  streams.input.resume();
  streams.input.on('data', onData);
  streams.output.on('resize', onResize);
  const onSignal = () => quit();
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  app.open();
  try {
    await done;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    streams.input.off('data', onData);
    streams.output.off('resize', onResize);
    streams.input.setRawMode(false);
    streams.input.pause();
    app.close();
    await fleet.dispose();
  }
  if (failures.length) io.stderr(`agentmux top: ${failures.length} failure(s) while watching:\n  ${failures.slice(-5).join('\n  ')}\n`);
  return 0;
}

import { spawn } from 'node:child_process';

/** Outcome of {@link runProcess}. */
export interface ProcessResult {
  stdout: string;
  stderr: string;
  /** Exit code, or `null` when the process could not start or died of a signal. */
  exitCode: number | null;
  /** Start error (ENOENT …), if any. */
  error?: Error;
}

/**
 * Runs `command` with an argv array (never a shell), optionally feeding `input` on stdin, and collects its
 * output. Plain `child_process.spawn`: about half the start-up cost of execa, which matters for the many
 * short tmux calls of a fleet.
 */
export function runProcess(command: string, args: readonly string[], input?: string): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let startError: Error | undefined;
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => {
      startError = e;
    });
    child.on('close', (code) => {
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: startError ? null : code,
        ...(startError ? { error: startError } : {}),
      });
    });
    if (input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input, 'utf8');
    }
  });
}

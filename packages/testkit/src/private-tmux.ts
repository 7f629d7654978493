import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A tmux server on a private socket, for tests and demos. Dispose it to kill the server. */
export interface PrivateTmux extends AsyncDisposable {
  /** Absolute path of the server socket (`tmux -S <socket>`). */
  readonly socket: string;
  /** Runs `tmux -S <socket> ...args` and returns stdout. Arguments are never joined into a shell string. */
  run(...args: string[]): Promise<string>;
  /** Starts `argv` detached in a new session `name`, in `cwd` with extra `env`; returns the pane pid. */
  newSession(name: string, argv: readonly string[], options?: { cwd?: string; env?: Record<string, string>; width?: number; height?: number }): Promise<number>;
  /** Visible pane text of session `name`. */
  capture(name: string): Promise<string>;
  /** Kills the server and removes the socket directory. */
  dispose(): Promise<void>;
}

/** Starts nothing yet: tmux creates the server with the first session. */
export function createPrivateTmux(prefix = 'agentmux-tmux-'): PrivateTmux {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const socket = join(dir, 'socket');
  const run = async (...args: string[]): Promise<string> => {
    const { stdout } = await execFileAsync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
    return stdout;
  };
  const dispose = async (): Promise<void> => {
    await run('kill-server').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    socket,
    run,
    async newSession(name, argv, options = {}) {
      const envArgs = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      const out = await run(
        'new-session', '-d', '-P', '-F', '#{pane_pid}', '-s', name,
        '-x', String(options.width ?? 120), '-y', String(options.height ?? 40),
        ...(options.cwd ? ['-c', options.cwd] : []), ...envArgs, '--', ...argv,
      );
      return Number(out.trim());
    },
    capture: (name) => run('capture-pane', '-p', '-t', name),
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}

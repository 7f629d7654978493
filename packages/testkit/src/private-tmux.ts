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
  /**
   * Types `text` literally into `target` (`send-keys -l`), in chunks. tmux treats an argument ending in `;`
   * as a command separator, so a trailing `;` of a chunk is sent separately as a hex key.
   */
  sendText(target: string, text: string): Promise<void>;
  /** Sends named keys (`Enter`, `Escape`, `C-c`, `BSpace`…) to `target`. */
  sendKeys(target: string, ...keys: string[]): Promise<void>;
  /** Pastes `text` byte-exact as a bracketed paste (`load-buffer` from stdin, `paste-buffer -p -r`). */
  paste(target: string, text: string): Promise<void>;
  /** Kills the server and removes the socket directory. */
  dispose(): Promise<void>;
}

const CHUNK = 1000;

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
  let buffers = 0;
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
    async sendText(target, text) {
      const cps = Array.from(text);
      for (let i = 0; i < cps.length; i += CHUNK) {
        let chunk = cps.slice(i, i + CHUNK).join('');
        let semicolons = 0;
        while (chunk.endsWith(';')) {
          chunk = chunk.slice(0, -1);
          semicolons++;
        }
        if (chunk !== '') await run('send-keys', '-t', target, '-l', '--', chunk);
        if (semicolons > 0) await run('send-keys', '-t', target, '-H', ...Array<string>(semicolons).fill('3b'));
      }
    },
    async sendKeys(target, ...keys) {
      await run('send-keys', '-t', target, ...keys);
    },
    async paste(target, text) {
      const name = `agentmux-paste-${buffers++}`;
      await new Promise<void>((resolve, reject) => {
        const child = execFile('tmux', ['-S', socket, 'load-buffer', '-b', name, '-'], (error) => (error ? reject(error) : resolve()));
        child.stdin?.end(text);
      });
      await run('paste-buffer', '-p', '-r', '-d', '-b', name, '-t', target);
    },
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}

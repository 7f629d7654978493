import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Path of redis-server, or undefined when it is not installed. */
export function findRedisServer(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter((d) => d.length > 0).map((d) => join(d, 'redis-server'));
  for (const candidate of [process.env.REDIS_SERVER, '/usr/bin/redis-server', ...onPath]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A free loopback port (bind 127.0.0.1:0, read the port, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real redis-server for tests: loopback only, no RDB snapshots, AOF with fsync on every write (so every
 * acknowledged write survives a restart), data in a private temp dir. `stop()` + `start()` restart it on the
 * same port and dir. Dispose it (`await using`) to stop it and delete the dir.
 */
export class TestRedisServer implements AsyncDisposable {
  private proc: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly binary: string,
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  static async start(): Promise<TestRedisServer> {
    const binary = findRedisServer();
    if (!binary) throw new Error('redis-server is not installed (apt-get install redis-server, or set REDIS_SERVER)');
    const dir = mkdtempSync(join(tmpdir(), 'agentmux-redis-'));
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const server = new TestRedisServer(binary, await freePort(), dir);
      try {
        await server.start();
        return server;
      } catch (error) {
        lastError = error;
      }
    }
    rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }

  /** Starts (or restarts) the server; resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.proc) throw new Error('already running');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir, '--daemonize', 'no', '--loglevel', 'notice'];
    const proc = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${this.output}`)), 10_000);
      const onData = (chunk: Buffer): void => {
        this.output += chunk.toString();
        if (this.output.includes('Ready to accept connections')) {
          cleanup();
          resolve();
        }
      };
      const onExit = (code: number | null): void => fail(new Error(`redis-server exited (${code}):\n${this.output}`));
      const cleanup = (): void => {
        clearTimeout(timer);
        proc.stdout?.off('data', onData);
        proc.off('exit', onExit);
      };
      const fail = (error: Error): void => {
        cleanup();
        proc.kill('SIGKILL');
        this.proc = undefined;
        reject(error);
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
      });
      proc.once('exit', onExit);
    });
    proc.stdout?.resume();
  }

  /** Stops the server with `signal` (SIGTERM: clean shutdown; SIGKILL: crash) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.proc = undefined;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

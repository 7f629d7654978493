import { execFileSync } from 'node:child_process';
import { createClock, type Clock } from '../../clock.js';
import { loadScenarioFile, type Scenario } from '../../scenario.js';
import { TestkitArgumentError } from '../../testkit-error.js';

/** Resolves after `ms`, or rejects with an `AbortError` when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('aborted', 'AbortError'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The current git branch of `cwd`, or `''` outside a repository. */
export function gitBranch(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).trim();
  } catch {
    return '';
  }
}

/** Loads `AGENTMUX_FAKE_SCENARIO` (exit 2 with a clear message when invalid) and the clock. */
export function loadFakeEnvironment(cliName: string): { scenario: Scenario; clock: Clock } {
  const file = process.env.AGENTMUX_FAKE_SCENARIO;
  let scenario: Scenario = {};
  let clock: Clock;
  try {
    if (file !== undefined && file !== '') scenario = loadScenarioFile(file);
    clock = createClock(process.env.AGENTMUX_FAKE_CLOCK_START);
  } catch (error) {
    const msg = TestkitArgumentError.isInstance(error) || error instanceof Error ? error.message : String(error);
    process.stderr.write(`${cliName} (agentmux fake): invalid scenario ${file ?? ''}: ${msg}\n`);
    process.exit(2);
  }
  return { scenario, clock };
}

/** Reads all of stdin (for `-p` without a prompt argument). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// Shared helpers of the coordination benchmarks: fork workers with the repo's TypeScript loader, medians.
import { fork } from 'node:child_process';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const registerTs = fileURLToPath(new URL('../../packages/testkit/src/coordination-conformance/register-ts.mjs', import.meta.url));
export const fileBackendModule = fileURLToPath(new URL('../../packages/core/src/coordination/file/index.ts', import.meta.url));

// The benchmarks run the TypeScript sources directly (no build step): register the loader in this process
// unless it was started with `--import register-ts.mjs` already (the workers are).
if (!process.execArgv.some((a) => a.includes('register-ts'))) register(new URL('../../packages/testkit/src/coordination-conformance/ts-loader-hooks.mjs', import.meta.url));

/** Forks `script` with the TS loader; resolves once it sent { ready: true }. */
export function startWorker(script, args = []) {
  const child = fork(script, args, { execArgv: ['--import', registerTs, ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    child.on('message', function onMessage(msg) {
      if (msg?.ready) {
        child.off('message', onMessage);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  return ready;
}

/** Sends { go } to every worker and resolves with their { done } payloads. */
export function runWorkers(workers, message) {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          w.on('message', function onMessage(msg) {
            if (msg?.done) {
              w.off('message', onMessage);
              resolve(msg);
            } else if (msg?.error) reject(new Error(msg.error));
          });
          w.send(message);
        }),
    ),
  );
}

export function stopWorkers(workers) {
  for (const w of workers) if (w.connected) w.disconnect();
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US');

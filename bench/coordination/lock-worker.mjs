// One contending process of lock-bench.mjs: increments a counter file under a lock, `iterations` times,
// with either agentmux's file lock or proper-lockfile, and counts mutual-exclusion violations (an
// exclusive-create marker that already exists means two processes are inside at once).
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileBackendModule } from './bench-util.mjs';

const require = createRequire(import.meta.url);
const lockfile = require('proper-lockfile');
const { createFileCoordination } = await import(fileBackendModule);

process.on('message', async (msg) => {
  if (!msg?.go) return;
  const { impl, dir, iterations } = msg;
  const counter = join(dir, 'counter');
  const marker = join(dir, 'inside');
  let violations = 0;
  const critical = () => {
    let fd;
    try {
      fd = openSync(marker, 'wx');
    } catch {
      violations += 1;
    }
    writeFileSync(counter, String(Number(readFileSync(counter, 'utf8')) + 1));
    if (fd !== undefined) {
      closeSync(fd);
      unlinkSync(marker);
    }
  };
  try {
    if (impl === 'agentmux') {
      const backend = await createFileCoordination({ dir: join(dir, 'state'), recover: false });
      for (let i = 0; i < iterations; i += 1) {
        const lock = await backend.locks.acquire('counter', { ttlMs: 10_000, timeoutMs: 120_000 });
        critical();
        await lock.release();
      }
      await backend[Symbol.asyncDispose]();
    } else {
      const retries = { retries: 1_000_000, factor: 1.2, minTimeout: 1, maxTimeout: 10, randomize: true };
      for (let i = 0; i < iterations; i += 1) {
        const release = await lockfile.lock(counter, { retries, stale: 10_000, realpath: false });
        critical();
        await release();
      }
    }
    process.send({ done: true, violations });
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });

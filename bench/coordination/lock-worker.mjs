// One contending process of lock-bench.mjs: increments a counter file under a lock, `iterations` times,
// with either agentmux's file lock or proper-lockfile, and counts mutual-exclusion violations (an
// owner slot in the counter file changes while a process is inside).
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
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
  let violations = 0;
  // The counter file: bytes 0-15 the count, 16-31 the pid inside the critical section; both rewritten in
  // place with pwrite (no truncate or new inode: on this ext4 disk those cost milliseconds and would measure
  // the disk, not the lock). Same loop for both implementations. A violation = the owner slot changed while
  // we were inside, or the final count is off.
  const counterFd = openSync(counter, 'r+');
  const buf = Buffer.alloc(16);
  const me = String(process.pid).padStart(15) + '\n';
  const critical = () => {
    writeSync(counterFd, me, 16);
    const n = readSync(counterFd, buf, 0, 16, 0);
    const value = Number(buf.subarray(0, n).toString('utf8').trim() || '0');
    writeSync(counterFd, String(value + 1).padStart(15) + '\n', 0);
    const m = readSync(counterFd, buf, 0, 16, 16);
    if (buf.subarray(0, m).toString('utf8') !== me) violations += 1;
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
      // A bounded retry count: the `retry` package precomputes one timeout per retry on every lock() call.
      const retries = { retries: 500, factor: 1.2, minTimeout: 1, maxTimeout: 10, randomize: true };
      for (let i = 0; i < iterations; i += 1) {
        const release = await lockfile.lock(counter, { retries, stale: 10_000, realpath: false });
        critical();
        await release();
      }
    }
    closeSync(counterFd);
    process.send({ done: true, violations });
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });

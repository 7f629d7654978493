// One process of bench/coordination-redis/run.mjs. `lock`: acquire/increment/release `iterations` times,
// counting mutual-exclusion violations through a Redis-side "inside" flag (SET NX). `board`: claim +
// complete until the board is empty.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const moduleUrl = fileURLToPath(new URL('../../packages/coordination-redis/src/index.ts', import.meta.url));
const { createRedisCoordination } = await import(moduleUrl);

process.on('message', async (msg) => {
  if (!msg?.go) return;
  try {
    const backend = await createRedisCoordination({ url: msg.url, prefix: msg.prefix });
    if (msg.kind === 'lock') {
      let violations = 0;
      const inside = `${msg.prefix}bench-inside`;
      const counter = `${msg.prefix}bench-counter`;
      // A second plain connection for the critical section's own reads/writes.
      // ioredis is a dependency of the redis package, not of bench: resolve it from there.
      const { Redis } = createRequire(moduleUrl)('ioredis');
      const raw = new Redis(msg.url);
      for (let i = 0; i < msg.iterations; i += 1) {
        const lock = await backend.locks.acquire('counter', { ttlMs: 10_000, timeoutMs: 120_000 });
        if ((await raw.set(inside, '1', 'NX')) !== 'OK') violations += 1;
        const value = Number((await raw.get(counter)) ?? '0');
        await raw.set(counter, String(value + 1));
        await raw.del(inside);
        await lock.release();
      }
      raw.disconnect();
      process.send({ done: true, violations });
    } else {
      let completed = 0;
      let idle = 0;
      while (idle < 3) {
        const claim = await backend.board.claim({ worker: msg.worker, leaseMs: 30_000 });
        if (!claim) {
          idle += 1;
          continue;
        }
        idle = 0;
        await claim.complete({ by: msg.worker });
        completed += 1;
      }
      process.send({ done: true, completed });
    }
    await backend[Symbol.asyncDispose]();
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });

import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runCoordinationConformance } from '@agentmux/testkit';
import { findRedisServer, TestRedisServer } from './__fixtures__/redis-server.js';
import { createRedisCoordination, type RedisCoordinationBackend } from './index.js';

// CI installs redis-server (.ci/run); elsewhere the suite is skipped with a notice when it is missing.
const available = findRedisServer() !== undefined || process.env.CI !== undefined;
let server: TestRedisServer | undefined;
let n = 0;

if (available) {
  beforeAll(async () => {
    server = await TestRedisServer.start();
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  // Each backend gets a fresh key prefix on the shared server, i.e. fresh, empty state.
  runCoordinationConformance(
    'redis',
    async () => createRedisCoordination({ url: server!.url, prefix: `conf${(n += 1)}-${process.pid}:` }),
    {
      connect: (backend) => {
        const b = backend as RedisCoordinationBackend;
        return {
          module: fileURLToPath(new URL('./index.ts', import.meta.url)),
          exportName: 'createRedisCoordination',
          args: [{ url: b.url, prefix: b.prefix }],
        };
      },
      detectsDeadPids: false,
    },
  );
} else {
  describe('coordination conformance: redis', () => {
    it.skip('redis-server is not installed: skipped (install it or set REDIS_SERVER)', () => undefined);
  });
}

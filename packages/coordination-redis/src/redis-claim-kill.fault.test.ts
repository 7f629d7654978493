import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// ChildPool is exported by testkit's coordination-conformance module but not (yet) by @agentmux/testkit's index.
import { ChildPool, type ConformanceChild } from '@agentmux/testkit';
import { findRedisServer, TestRedisServer } from './__fixtures__/redis-server.js';
import { createRedisCoordination } from './index.js';

const available = findRedisServer() !== undefined || process.env.CI !== undefined;
const moduleUrl = fileURLToPath(new URL('./index.ts', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function acked(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  } catch {
    return [];
  }
}

describe.runIf(available)('redis board: claimers killed with SIGKILL', () => {
  let server: TestRedisServer;
  let dir: string;
  beforeAll(async () => {
    server = await TestRedisServer.start();
    dir = mkdtempSync(join(tmpdir(), 'agentmux-redis-kill-'));
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every task is completed exactly once although claimers die mid-task', async () => {
    const prefix = 'kill:';
    await using b = await createRedisCoordination({ url: server.url, prefix });
    const total = 160;
    await b.board.add(Array.from({ length: total }, (_, i) => ({ id: `job-${i}`, title: `job ${i}`, priority: i % 5, maxAttempts: 10 })));
    const pool = new ChildPool();
    try {
      const spec = { module: moduleUrl, exportName: 'createRedisCoordination', args: [{ url: server.url, prefix }] };
      const start = async (i: number): Promise<{ child: ConformanceChild; file: string; run: Promise<unknown> }> => {
        const child = await pool.start(spec);
        const file = join(dir, `acks-${i}`);
        const run = child
          .call<string[]>('boardWork', { worker: `w${i}`, leaseMs: 700, ackFile: file, workMs: 25, idleRounds: 150 })
          .catch((e: unknown) => e);
        return { child, file, run };
      };
      const workers = await Promise.all([0, 1, 2, 3].map(start));
      const ackCount = (): number => workers.reduce((n, w) => n + acked(w.file).length, 0);
      // Kill two claimers at different points (each is usually holding a claimed, unfinished task).
      for (const [victim, threshold] of [[0, 20], [1, 60]] as const) {
        for (let i = 0; i < 400 && ackCount() < threshold; i += 1) await sleep(10);
        await workers[victim]!.child.kill();
        workers.push(await start(workers.length));
      }
      const results = await Promise.all(workers.map((w) => w.run));
      for (const [i, r] of results.entries()) {
        if (i > 1) expect(Array.isArray(r), `worker ${i}: ${String(r)}`).toBe(true);
      }

      const stats = await b.board.stats();
      expect(stats).toMatchObject({ done: total, running: 0, ready: 0, dead: 0, total });
      const acks = workers.flatMap((w) => acked(w.file));
      // No task acknowledged twice (fencing), and every acknowledged completion is on the board.
      expect(new Set(acks).size).toBe(acks.length);
      // Only a worker killed between complete() and its ack line can leave a completion unacknowledged.
      expect(acks.length).toBeGreaterThanOrEqual(total - 2);
      const tasks = await b.board.list({ status: 'done' });
      expect(tasks).toHaveLength(total);
      const byId = new Map(tasks.map((t) => [t.id, t]));
      for (const [i, w] of workers.entries()) {
        for (const id of acked(w.file)) expect(byId.get(id)?.completedBy, id).toBe(`w${i}`);
      }
      // The killed workers' in-flight tasks were reclaimed after lease expiry, with the attempt counted.
      const reclaimed = tasks.filter((t) => t.failedAttempts > 0);
      for (const t of reclaimed) expect(t.errors.every((e) => e.code === 'lease-expired')).toBe(true);
      expect(reclaimed.length).toBeLessThanOrEqual(2);
    } finally {
      await pool.disposeAll();
    }
  }, 60_000);
});

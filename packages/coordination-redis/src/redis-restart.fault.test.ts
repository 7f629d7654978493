import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CoordinationUnavailableError } from '@agentmux/core';
// ChildPool is exported by testkit's coordination-conformance module but not (yet) by @agentmux/testkit's index.
import { ChildPool, type ConformanceChild } from '@agentmux/testkit';
import { findRedisServer, TestRedisServer } from './__fixtures__/redis-server.js';
import { createRedisCoordination, type RedisCoordinationBackend } from './index.js';

const available = findRedisServer() !== undefined || process.env.CI !== undefined;
const moduleUrl = fileURLToPath(new URL('./index.ts', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects if `promise` neither resolves nor rejects within `ms` (a hang guard, not a performance check). */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`operation still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise.then((value) => ({ ok: true as const, value })), guard]);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('operation still pending')) throw error;
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

async function eventually<T>(check: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

function ackLines(file: string): string[][] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split(' '));
}

describe.runIf(available)('redis backend: server stop and restart', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'redis %s mid-run: operations fail fast with CoordinationUnavailableError, then recover with nothing acknowledged lost',
    async (signal) => {
      const server = await TestRedisServer.start();
      cleanups.push(async () => {
        await server[Symbol.asyncDispose]();
      });
      const dir = mkdtempSync(join(tmpdir(), 'agentmux-redis-fault-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const prefix = `fault-${signal}:`;
      const b: RedisCoordinationBackend = await createRedisCoordination({ url: server.url, prefix, commandTimeoutMs: 2_000 });
      cleanups.push(async () => {
        await b[Symbol.asyncDispose]();
      });
      const pool = new ChildPool();
      cleanups.push(() => pool.disposeAll());

      // Acknowledged state from this process before the outage.
      const before = await b.locks.acquire('deploy', { ttlMs: 60_000 });
      await before.release();
      await b.board.add({ id: 'pre', title: 'added before the outage' });

      // Two writer processes hammer every part and log each acknowledged write.
      const ackFiles = [join(dir, 'acks-0'), join(dir, 'acks-1')];
      const writers: ConformanceChild[] = await Promise.all(
        ackFiles.map(() => pool.start({ module: moduleUrl, exportName: 'createRedisCoordination', args: [{ url: server.url, prefix, commandTimeoutMs: 2_000 }] })),
      );
      const running = writers.map((w, i) => w.call('writeForever', { ackFile: ackFiles[i], prefix: `w${i}` }).then(() => undefined, (e: unknown) => e));
      await eventually(async () => {
        if (ackFiles.some((f) => ackLines(f).length < 40)) throw new Error('writers not far enough yet');
      }, 20_000);
      const barrier = await b.barriers.get('outage', { parties: 2 });
      const waiting = barrier.wait({ timeoutMs: 60_000 }).then(() => undefined, (e: unknown) => e);
      await sleep(50);

      await server.stop(signal);

      // Writers stop with CoordinationUnavailableError, and so does everything here, without hanging.
      for (const outcome of await Promise.all(running)) expect((outcome as { code?: string }).code).toBe('AGENTMUX_COORDINATION_UNAVAILABLE');
      expect(CoordinationUnavailableError.isInstance(await settleWithin(waiting, 10_000).then((r) => (r.ok ? r.value : r.error)))).toBe(true);
      const ops: (() => Promise<unknown>)[] = [
        () => b.locks.acquire('deploy', { ttlMs: 1_000, timeoutMs: 30_000 }),
        () => b.board.get('pre'),
        () => b.board.claim({ worker: 'x', leaseMs: 1_000 }),
        () => b.inboxes.send('someone', { body: 'hello' }),
        () => b.activity.append({ actor: 'me', type: 'outage-seen' }),
        () => b.barriers.get('other', { parties: 2 }),
      ];
      for (const op of ops) {
        const result = await settleWithin(op(), 10_000);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(CoordinationUnavailableError.isInstance(result.error)).toBe(true);
      }

      await server.start();
      await eventually(() => b.board.stats(), 15_000);

      // Everything acknowledged before the stop is there.
      const acks = ackFiles.flatMap(ackLines);
      expect(acks.length).toBeGreaterThanOrEqual(80);
      const events = await b.activity.query();
      const bySeq = new Map(events.map((e) => [e.seq, e]));
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
      const messages = await b.inboxes.receive('crash-inbox', { max: 1000 });
      const messageIds = new Set(messages.map((m) => m.id));
      let checked = 0;
      for (const [kind, key, extra] of acks) {
        checked += 1;
        if (kind === 'activity') expect(bySeq.get(Number(extra))?.payload).toEqual({ key });
        else if (kind === 'task') expect((await b.board.get(key ?? '')).payload).toEqual({ key });
        else if (kind === 'message') expect(messageIds.has(extra ?? '')).toBe(true);
        else if (kind === 'done') expect((await b.board.get(key ?? '')).status).toBe('done');
      }
      expect(checked).toBe(acks.length);
      expect((await b.board.get('pre')).status).toMatch(/ready|running|done/);

      // And it works again: fencing tokens keep increasing across the restart.
      const after = await b.locks.acquire('deploy', { ttlMs: 5_000, timeoutMs: 5_000 });
      expect(after.token).toBeGreaterThan(before.token);
      await after.release();
      expect((await b.activity.append({ actor: 'me', type: 'outage-over' })).seq).toBe(events.length + 1);
    },
    60_000,
  );

  it('a stalled server (SIGSTOP) makes operations reject after commandTimeoutMs instead of hanging', async () => {
    const server = await TestRedisServer.start();
    cleanups.push(async () => {
      await server[Symbol.asyncDispose]();
    });
    const b = await createRedisCoordination({ url: server.url, prefix: 'stall:', commandTimeoutMs: 300 });
    cleanups.push(async () => {
      await b[Symbol.asyncDispose]();
    });
    const lock = await b.locks.acquire('l', { ttlMs: 60_000 });
    process.kill(server.pid!, 'SIGSTOP');
    try {
      const result = await settleWithin(b.board.add({ id: 'x', title: 'x' }), 10_000);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(CoordinationUnavailableError.isInstance(result.error)).toBe(true);
    } finally {
      process.kill(server.pid!, 'SIGCONT');
    }
    // The add may or may not have been applied (its reply was lost), so only its outcome is checked.
    await eventually(() => b.board.stats(), 15_000);
    expect(await lock.isHeld()).toBe(true);
    await lock.release();
  });

  it('opening against a stopped server rejects with CoordinationUnavailableError', async () => {
    const server = await TestRedisServer.start();
    await server[Symbol.asyncDispose]();
    const error = await createRedisCoordination({ url: server.url, connectTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(CoordinationUnavailableError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toContain(`127.0.0.1:${server.port}`);
  });
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinationUnavailableError, InvalidArgumentError } from '@agentmux/core';
import { findRedisServer, TestRedisServer } from './__fixtures__/redis-server.js';
import { createRedisCoordination, type RedisCoordinationBackend } from './index.js';

const available = findRedisServer() !== undefined || process.env.CI !== undefined;
const W = { worker: 'w', leaseMs: 30_000 };

describe('createRedisCoordination options', () => {
  it('rejects bad options with InvalidArgumentError naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'options.url'],
      [{ url: 'redis://127.0.0.1:1', client: {} }, 'options.url'],
      [{ url: 'http://127.0.0.1:6379' }, 'options.url'],
      [{ url: 'redis://127.0.0.1:1', prefix: 'has space' }, 'options.prefix'],
      [{ url: 'redis://127.0.0.1:1', commandTimeoutMs: 0 }, 'options.commandTimeoutMs'],
    ];
    for (const [options, field] of cases) {
      const error = await createRedisCoordination(options as never).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(options)).toBe(true);
      expect((error as InvalidArgumentError).field).toBe(field);
    }
  });
});

describe.runIf(available)('redis backend specifics', () => {
  let server: TestRedisServer;
  let n = 0;
  const opened: RedisCoordinationBackend[] = [];
  const open = async (prefix = `spec${(n += 1)}:`): Promise<RedisCoordinationBackend> => {
    const b = await createRedisCoordination({ url: server.url, prefix });
    opened.push(b);
    return b;
  };
  beforeAll(async () => {
    server = await TestRedisServer.start();
  });
  afterAll(async () => {
    for (const b of opened) await b[Symbol.asyncDispose]();
    await server?.[Symbol.asyncDispose]();
  });

  it('keeps every key under its prefix; prefixes are independent', async () => {
    const a = await open('team-a:');
    const b = await open('team-b:');
    await a.board.add({ id: 't', title: 'a' });
    await a.inboxes.send('x', { body: 'hi' });
    await a.activity.append({ actor: 'a', type: 'thing-done' });
    const lock = await a.locks.acquire('l', { ttlMs: 10_000 });
    await (await a.barriers.get('bar', { parties: 2 })).arrive();
    expect(await b.board.stats()).toMatchObject({ total: 0 });
    expect(await b.locks.inspect('l')).toBeNull();
    expect(await b.inboxes.pending('x')).toEqual({ queued: 0, inFlight: 0 });
    expect(await b.activity.query()).toEqual([]);
    const raw = new Redis(server.url);
    try {
      const keys = await raw.keys('*');
      expect(keys.length).toBeGreaterThan(5);
      for (const key of keys) expect(key.startsWith('team-a:') || key.startsWith('spec'), key).toBe(true);
    } finally {
      raw.disconnect();
    }
    await lock.release();
  });

  it('round-trips payloads and results exactly (Lua never re-encodes caller JSON)', async () => {
    const b = await open();
    const payload = { big: 2 ** 53 - 1, tiny: 0.1 + 0.2, emptyObject: {}, emptyArray: [], text: 'é "q" / \n', nested: [{ a: null }] };
    await b.board.add({ id: 'json', title: 'j', payload });
    const claim = await b.board.claim(W);
    expect(claim?.task.payload).toEqual(payload);
    const done = await claim!.complete(payload);
    expect(done.result).toEqual(payload);
    expect((await b.board.get('json')).result).toEqual(payload);
  });

  it('evaluates conditions on nested paths, array indexes, null, exists and notEquals', async () => {
    const b = await open();
    await b.board.add([
      { id: 'review', title: 'r' },
      { id: 'deep', title: 'd', conditions: [{ task: 'review', path: 'score.value', equals: 5 }] },
      { id: 'index', title: 'i', conditions: [{ task: 'review', path: 'items.1', equals: 'b' }] },
      { id: 'null', title: 'n', conditions: [{ task: 'review', path: 'note', equals: null }] },
      { id: 'absent', title: 'a', conditions: [{ task: 'review', path: 'missing', exists: false }] },
      { id: 'present', title: 'p', conditions: [{ task: 'review', path: 'missing', exists: true }] },
      { id: 'different', title: 'x', conditions: [{ task: 'review', path: 'items', notEquals: ['a', 'b'] }] },
      { id: 'whole', title: 'w', conditions: [{ task: 'review', path: '', equals: { score: { value: 5 }, items: ['a', 'b'], note: null } }] },
    ]);
    await (await b.board.claim(W))!.complete({ score: { value: 5 }, items: ['a', 'b'], note: null });
    const status = async (id: string): Promise<string> => (await b.board.get(id)).status;
    expect(await status('deep')).toBe('ready');
    expect(await status('index')).toBe('ready');
    expect(await status('null')).toBe('ready');
    expect(await status('absent')).toBe('ready');
    expect(await status('present')).toBe('skipped');
    expect((await b.board.get('present')).skipReason).toContain('review.missing');
    expect(await status('different')).toBe('skipped');
    expect(await status('whole')).toBe('ready');

    await b.board.add([
      { id: 'scalar', title: 's', priority: 100 },
      { id: 'is-ok', title: 'k', conditions: [{ task: 'scalar', path: '', equals: 'ok' }] },
      { id: 'no-field', title: 'f', conditions: [{ task: 'scalar', path: 'x', exists: true }] },
    ]);
    const scalar = await b.board.claim(W);
    expect(scalar?.task.id).toBe('scalar');
    await scalar!.complete('ok');
    expect(await status('is-ok')).toBe('ready');
    expect(await status('no-field')).toBe('skipped');
  });

  it('evaluates dependencies already finished at add time, and skips down a chain', async () => {
    const b = await open();
    await b.board.add({ id: 'first', title: 'f', maxAttempts: 1 });
    await (await b.board.claim(W))!.fail('broken');
    await b.board.add({ id: 'ok', title: 'o' });
    await (await b.board.claim(W))!.complete({ ok: true });
    const added = await b.board.add([
      { id: 'go', title: 'g', conditions: [{ task: 'ok', path: 'ok', equals: true }] },
      { id: 'stop', title: 's', dependencies: ['first'] },
      { id: 'stop-2', title: 's2', dependencies: ['stop'] },
    ]);
    expect(added.map((t) => t.status)).toEqual(['ready', 'skipped', 'skipped']);
    expect(added[1]?.skipReason).toContain('first');
    await b.board.add([{ id: 'a', title: 'a', maxAttempts: 1, priority: 9 }, { id: 'b', title: 'b', dependencies: ['a'] }, { id: 'c', title: 'c', dependencies: ['b'] }]);
    const claim = await b.board.claim(W);
    expect(claim?.task.id).toBe('a');
    await claim!.fail('no');
    expect((await b.board.get('c')).status).toBe('skipped');
    expect((await b.board.get('c')).skipReason).toContain('b');
  });

  it('an expired lease on the last attempt makes the task dead and skips its dependents', async () => {
    const b = await open();
    await b.board.add([{ id: 'once', title: 'o', maxAttempts: 1 }, { id: 'next', title: 'n', dependencies: ['once'] }]);
    const claim = await b.board.claim({ worker: 'w', leaseMs: 30 });
    await new Promise((r) => setTimeout(r, 80));
    expect(await b.board.reclaimExpired()).toBe(1);
    expect(await b.board.get('once')).toMatchObject({ status: 'dead', failedAttempts: 1 });
    expect((await b.board.get('next')).status).toBe('skipped');
    await expect(claim!.complete()).rejects.toMatchObject({ code: 'AGENTMUX_LEASE_LOST' });
  });

  it('sweepIntervalMs reclaims expired leases in the background', async () => {
    const b = await createRedisCoordination({ url: server.url, prefix: 'sweep:', sweepIntervalMs: 20 });
    opened.push(b);
    await b.board.add([{ id: 'once', title: 'o', maxAttempts: 1 }, { id: 'next', title: 'n', dependencies: ['once'] }]);
    await b.board.claim({ worker: 'w', leaseMs: 30 });
    for (let i = 0; i < 200 && (await b.board.get('next')).status !== 'skipped'; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await b.board.stats()).toMatchObject({ dead: 1, skipped: 1, running: 0 });
  });

  it('does not quit a client passed in, and rejects pending waits on dispose', async () => {
    const client = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    await new Promise((r) => client.once('ready', r));
    const b = await createRedisCoordination({ client, prefix: 'given:' });
    const held = await b.locks.acquire('busy', { ttlMs: 60_000 });
    const other = await open('given:');
    const waitingLock = other.locks.acquire('busy', { ttlMs: 1_000, timeoutMs: 30_000 }).catch((e: unknown) => e);
    const barrier = await other.barriers.get('never', { parties: 5 });
    const waitingBarrier = barrier.wait().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await other[Symbol.asyncDispose]();
    expect(CoordinationUnavailableError.isInstance(await waitingLock)).toBe(true);
    expect(CoordinationUnavailableError.isInstance(await waitingBarrier)).toBe(true);
    await held.release();
    await b[Symbol.asyncDispose]();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });
});

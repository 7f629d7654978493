import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, expectCode, sleep, type SuiteContext } from './suite-context.js';

export function lockCases(s: SuiteContext): void {
  describe('locks', () => {
    it('grants, reports the holder, and frees on release', async () => {
      const b = await s.make();
      const lock = await b.locks.acquire('deploy', { ttlMs: 10_000, owner: 'agent-a' });
      expect(lock.token).toBeGreaterThan(0);
      expect(lock.name).toBe('deploy');
      expect(await lock.isHeld()).toBe(true);
      const info = await b.locks.inspect('deploy');
      expect(info).toMatchObject({ name: 'deploy', owner: 'agent-a', token: lock.token });
      expect(await b.locks.tryAcquire('deploy', { ttlMs: 1000 })).toBeNull();
      expect(await lock.release()).toBe(true);
      expect(await lock.release()).toBe(false);
      expect(await b.locks.inspect('deploy')).toBeNull();
      expect(await lock.isHeld()).toBe(false);
    });

    it('fencing tokens strictly increase per name, also across instances', async () => {
      const b = await s.make();
      const tokens: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const lock = await b.locks.acquire('fence', { ttlMs: 5_000 });
        tokens.push(lock.token);
        await lock.release();
      }
      if (s.canReopen) {
        await b[Symbol.asyncDispose]();
        const again = await s.reopen(b);
        const lock = await again.locks.acquire('fence', { ttlMs: 5_000 });
        tokens.push(lock.token);
        await lock.release();
      }
      expect(tokens.length).toBe(s.canReopen ? 6 : 5);
      for (let i = 1; i < tokens.length; i += 1) expect(tokens[i]).toBeGreaterThan(tokens[i - 1] ?? 0);
    });

    it('times out with TimeoutError naming the lock', async () => {
      const b = await s.make();
      const held = await b.locks.acquire('busy', { ttlMs: 10_000 });
      const error = await expectCode(b.locks.acquire('busy', { ttlMs: 1000, timeoutMs: 60 }), CODES.timeout);
      expect(String(error.message)).toContain('busy');
      await held.release();
    });

    it('wakes a waiter on release with a higher token', async () => {
      const b = await s.make();
      const first = await b.locks.acquire('handoff', { ttlMs: 10_000 });
      const waiting = b.locks.acquire('handoff', { ttlMs: 10_000, timeoutMs: 5_000 });
      await sleep(30);
      await first.release();
      const second = await waiting;
      expect(second.token).toBeGreaterThan(first.token);
      await second.release();
    });

    it('an expired lease goes to the next waiter; the stale handle is fenced', async () => {
      const b = await s.make();
      const stale = await b.locks.acquire('lease', { ttlMs: 80, owner: 'slow' });
      const next = await b.locks.acquire('lease', { ttlMs: 10_000, timeoutMs: 5_000, owner: 'fresh' });
      expect(next.token).toBeGreaterThan(stale.token);
      expect(await stale.isHeld()).toBe(false);
      await expectCode(stale.extend(1000), CODES.leaseLost);
      expect(await stale.release()).toBe(false);
      expect(await b.locks.inspect('lease')).toMatchObject({ owner: 'fresh', token: next.token });
      await next.release();
    });

    it('extend() keeps the lock past its first ttl', async () => {
      const b = await s.make();
      const lock = await b.locks.acquire('long', { ttlMs: 150 });
      await lock.extend(5_000);
      await sleep(250);
      expect(await b.locks.tryAcquire('long', { ttlMs: 1000 })).toBeNull();
      expect(await lock.isHeld()).toBe(true);
      expect(lock.expiresAt).toBeGreaterThan(Date.now() + 3_000);
      await lock.release();
    });

    it('rejects bad names and options with InvalidArgumentError', async () => {
      const b = await s.make();
      const e1 = await expectCode(b.locks.acquire('bad name/../x', { ttlMs: 1000 }), CODES.invalid);
      expect(e1.field).toBe('name');
      const e2 = await expectCode(b.locks.acquire('ok', { ttlMs: 0 }), CODES.invalid);
      expect(String(e2.field)).toContain('ttlMs');
    });

    it('rejects use after dispose with CoordinationUnavailableError', async () => {
      const b = await s.make();
      await b[Symbol.asyncDispose]();
      await expectCode(b.locks.acquire('x', { ttlMs: 1000 }), CODES.unavailable);
    });

    describe.runIf(s.multiProcess)('across processes', () => {
      it('4 processes incrementing a counter under the lock lose no update', async () => {
        const b = await s.make();
        const dir = mkdtempSync(join(tmpdir(), 'agentmux-conf-'));
        const counterFile = join(dir, 'counter');
        writeFileSync(counterFile, '0');
        try {
          const children = await Promise.all([0, 1, 2, 3].map(() => s.child(b)));
          const results = await Promise.all(
            children.map((c) => c.call<number[]>('lockIncrement', { name: 'counter', counterFile, iterations: 50, ttlMs: 10_000 })),
          );
          expect(Number(readFileSync(counterFile, 'utf8'))).toBe(200);
          const all = results.flat();
          expect(new Set(all).size).toBe(200);
          for (const tokens of results) for (let i = 1; i < tokens.length; i += 1) expect(tokens[i]).toBeGreaterThan(tokens[i - 1] ?? 0);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('a killed holder is detected and the lock granted to the next waiter', async () => {
        const b = await s.make();
        const child = await s.child(b);
        const held = await child.call<{ token: number }>('lockHold', { name: 'crash', ttlMs: s.deadHolderTtlMs });
        await child.kill();
        const lock = await b.locks.acquire('crash', { ttlMs: 5_000, timeoutMs: 10_000 });
        expect(lock.token).toBeGreaterThan(held.token);
        await lock.release();
      });
    });
  });
}

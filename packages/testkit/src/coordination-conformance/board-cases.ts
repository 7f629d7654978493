import { describe, expect, it } from 'vitest';
import { CODES, eventually, expectCode, sleep, type SuiteContext } from './suite-context.js';

const W = { worker: 'w1', leaseMs: 30_000 };

export function boardCases(s: SuiteContext): void {
  describe('board', () => {
    it('adds tasks with defaults and reads them back', async () => {
      const b = await s.make();
      const [task] = await b.board.add({ id: 't1', title: 'first', payload: { n: 1 } });
      expect(task).toMatchObject({ id: 't1', title: 'first', payload: { n: 1 }, priority: 0, maxAttempts: 3, status: 'ready', failedAttempts: 0, dependencies: [], labels: [], errors: [] });
      expect(await b.board.get('t1')).toMatchObject({ id: 't1', status: 'ready' });
      await expectCode(b.board.get('nope'), CODES.notFound);
    });

    it('claims the highest priority first, ties in add order, then null', async () => {
      const b = await s.make();
      await b.board.add([
        { id: 'low', title: 'l', priority: -5 },
        { id: 'mid-1', title: 'm1' },
        { id: 'high', title: 'h', priority: 10 },
      ]);
      await sleep(5);
      await b.board.add({ id: 'mid-2', title: 'm2' });
      const order: string[] = [];
      for (let c = await b.board.claim(W); c; c = await b.board.claim(W)) order.push(c.task.id);
      expect(order).toEqual(['high', 'mid-1', 'mid-2', 'low']);
      expect(await b.board.claim(W)).toBeNull();
    });

    it('hands a task to one claimer only and records the lease', async () => {
      const b = await s.make();
      await b.board.add({ id: 'solo', title: 's' });
      const claims = await Promise.all([b.board.claim({ worker: 'a', leaseMs: 5_000 }), b.board.claim({ worker: 'b', leaseMs: 5_000 })]);
      const won = claims.filter((c) => c !== null);
      expect(won).toHaveLength(1);
      const task = await b.board.get('solo');
      expect(task.status).toBe('running');
      expect(task.lease).toMatchObject({ worker: won[0]?.task.lease?.worker, attempt: 1, token: won[0]?.token });
    });

    it('respects role and labels', async () => {
      const b = await s.make();
      await b.board.add([
        { id: 'review', title: 'r', role: 'reviewer' },
        { id: 'gpu', title: 'g', labels: ['gpu', 'linux'] },
        { id: 'any', title: 'a', priority: -1 },
      ]);
      expect((await b.board.claim({ worker: 'x', leaseMs: 1000, labels: ['gpu'] }))?.task.id).toBe('any');
      expect(await b.board.claim({ worker: 'x', leaseMs: 1000, labels: ['gpu'] })).toBeNull();
      expect((await b.board.claim({ worker: 'y', leaseMs: 1000, labels: ['linux', 'gpu', 'big'] }))?.task.id).toBe('gpu');
      expect((await b.board.claim({ worker: 'z', leaseMs: 1000, role: 'reviewer' }))?.task.id).toBe('review');
    });

    it('runs a task only after its dependencies are done', async () => {
      const b = await s.make();
      await b.board.add([
        { id: 'plan', title: 'p' },
        { id: 'build', title: 'b', dependencies: ['plan'], priority: 100 },
      ]);
      expect((await b.board.get('build')).status).toBe('blocked');
      const plan = await b.board.claim(W);
      expect(plan?.task.id).toBe('plan');
      expect(await b.board.claim(W)).toBeNull();
      const done = await plan?.complete({ ok: true });
      expect(done).toMatchObject({ status: 'done', result: { ok: true }, completedBy: 'w1' });
      expect((await b.board.get('build')).status).toBe('ready');
      expect((await b.board.claim(W))?.task.id).toBe('build');
    });

    it('skips tasks whose condition fails, and their dependents', async () => {
      const b = await s.make();
      await b.board.add([
        { id: 'plan', title: 'p' },
        { id: 'ship', title: 's', conditions: [{ task: 'plan', path: 'ok', equals: true }] },
        { id: 'announce', title: 'a', dependencies: ['ship'] },
        { id: 'fix', title: 'f', conditions: [{ task: 'plan', path: 'ok', equals: false }] },
      ]);
      expect((await b.board.get('ship')).dependencies).toEqual(['plan']);
      await (await b.board.claim(W))?.complete({ ok: false });
      const ship = await b.board.get('ship');
      expect(ship.status).toBe('skipped');
      expect(ship.skipReason).toContain('plan.ok');
      expect((await b.board.get('announce')).status).toBe('skipped');
      expect((await b.board.get('fix')).status).toBe('ready');
    });

    it('retries a failed task up to maxAttempts, then dead; dependents are skipped', async () => {
      const b = await s.make();
      await b.board.add([
        { id: 'flaky', title: 'f', maxAttempts: 2 },
        { id: 'after', title: 'a', dependencies: ['flaky'] },
      ]);
      const first = await b.board.claim(W);
      expect(first?.attempt).toBe(1);
      expect(await first?.fail({ message: 'tests red', code: 'tests' })).toMatchObject({ status: 'ready', failedAttempts: 1 });
      const second = await b.board.claim(W);
      expect(second?.attempt).toBe(2);
      const dead = await second?.fail('still red');
      expect(dead).toMatchObject({ status: 'dead', failedAttempts: 2 });
      expect(dead?.errors.map((e) => e.message)).toEqual(['tests red', 'still red']);
      expect(dead?.errors[0]?.code).toBe('tests');
      expect((await b.board.get('after')).status).toBe('skipped');
      expect(await b.board.claim(W)).toBeNull();
    });

    it('fail({ retry: false }) makes the task dead at once', async () => {
      const b = await s.make();
      await b.board.add({ id: 'fatal', title: 'f' });
      expect(await (await b.board.claim(W))?.fail('bad input', { retry: false })).toMatchObject({ status: 'dead', failedAttempts: 1 });
    });

    it('reclaims an expired lease; the stale claim is fenced with LeaseLostError', async () => {
      const b = await s.make();
      await b.board.add({ id: 'slow', title: 's' });
      const stale = await b.board.claim({ worker: 'sleepy', leaseMs: 60 });
      expect(stale).not.toBeNull();
      await sleep(120);
      expect(await b.board.reclaimExpired()).toBe(1);
      const task = await b.board.get('slow');
      expect(task).toMatchObject({ status: 'ready', failedAttempts: 1 });
      expect(task.errors[0]?.code).toBe('lease-expired');
      await expectCode(stale!.heartbeat(), CODES.leaseLost);
      await expectCode(stale!.complete({ late: true }), CODES.leaseLost);
      await expectCode(stale!.fail('late'), CODES.leaseLost);
      const fresh = await b.board.claim({ worker: 'awake', leaseMs: 10_000 });
      expect(fresh?.attempt).toBe(2);
      expect(await fresh?.complete('ok')).toMatchObject({ status: 'done', result: 'ok', completedBy: 'awake' });
      await expectCode(b.board.complete('slow', stale!.token, 'again'), CODES.leaseLost);
    });

    it('claim() reclaims expired leases by itself', async () => {
      const b = await s.make();
      await b.board.add({ id: 'lost', title: 'l' });
      await b.board.claim({ worker: 'gone', leaseMs: 50 });
      await sleep(100);
      const again = await eventually(async () => (await b.board.claim(W)) ?? undefined, 5_000);
      expect(again.task.id).toBe('lost');
      expect(again.attempt).toBe(2);
    });

    it('heartbeat keeps the lease alive', async () => {
      const b = await s.make();
      await b.board.add({ id: 'long', title: 'l' });
      const claim = await b.board.claim({ worker: 'w', leaseMs: 150 });
      for (let i = 0; i < 6; i += 1) {
        await sleep(60);
        await claim!.heartbeat();
      }
      expect(await b.board.reclaimExpired()).toBe(0);
      expect(claim!.expiresAt).toBeGreaterThan(Date.now());
      expect((await claim!.complete())?.status).toBe('done');
    });

    it('never completes a task twice', async () => {
      const b = await s.make();
      await b.board.add({ id: 'once', title: 'o' });
      const claim = await b.board.claim(W);
      await claim!.complete(1);
      await expectCode(claim!.complete(2), CODES.leaseLost);
      expect((await b.board.get('once')).result).toBe(1);
    });

    it('rejects bad specs with InvalidArgumentError naming the field', async () => {
      const b = await s.make();
      const e1 = await expectCode(b.board.add([{ id: 'x', title: '' }]), CODES.invalid);
      expect(e1.field).toBe('tasks[0].title');
      const e2 = await expectCode(b.board.add({ id: 'y', title: 'y', dependencies: ['missing'] }), CODES.invalid);
      expect(e2.field).toBe('tasks[0].dependencies');
      await b.board.add({ id: 'dup', title: 'd' });
      const e3 = await expectCode(b.board.add({ id: 'dup', title: 'd' }), CODES.invalid);
      expect(e3.field).toBe('tasks[0].id');
      await expectCode(b.board.add({ id: 'bad id!', title: 'x' }), CODES.invalid);
      await expectCode(b.board.add({ id: 'c', title: 'c', conditions: [{ task: 'dup', path: 'ok' }] }), CODES.invalid);
      await expectCode(b.board.claim({ worker: 'w', leaseMs: 0 }), CODES.invalid);
      expect((await b.board.stats()).total).toBe(1);
    });

    it('lists and counts tasks by status', async () => {
      const b = await s.make();
      await b.board.add([
        { id: 'a', title: 'a', priority: 2 },
        { id: 'b', title: 'b', priority: 1 },
        { id: 'c', title: 'c', dependencies: ['a'] },
      ]);
      await (await b.board.claim(W))!.complete();
      await b.board.claim(W);
      expect(await b.board.stats()).toEqual({ blocked: 0, ready: 1, running: 1, done: 1, dead: 0, skipped: 0, total: 3 });
      expect((await b.board.list({ status: 'running' })).map((t) => t.id)).toEqual(['b']);
      expect((await b.board.list()).map((t) => t.id)).toEqual(['a', 'b', 'c']);
      expect(await b.board.list({ limit: 2 })).toHaveLength(2);
    });

    it.runIf(s.canReopen)('keeps the board across a restart', async () => {
      const b = await s.make();
      await b.board.add([{ id: 'p', title: 'p' }, { id: 'q', title: 'q', dependencies: ['p'] }]);
      const claim = await b.board.claim(W);
      await b[Symbol.asyncDispose]();
      const again = await s.reopen(b);
      await again.board.complete('p', claim!.token, { ok: 1 });
      expect((await again.board.claim(W))?.task.id).toBe('q');
    });

    describe.runIf(s.multiProcess)('across processes', () => {
      it('4 processes drain 200 tasks: each completed exactly once', async () => {
        const b = await s.make();
        await b.board.add(Array.from({ length: 200 }, (_, i) => ({ id: `job-${i}`, title: `job ${i}`, priority: i % 7 })));
        const children = await Promise.all([0, 1, 2, 3].map(() => s.child(b)));
        const done = await Promise.all(children.map((c, i) => c.call<string[]>('boardWork', { worker: `proc-${i}`, leaseMs: 30_000 })));
        const all = done.flat();
        expect(all).toHaveLength(200);
        expect(new Set(all).size).toBe(200);
        expect(await b.board.stats()).toMatchObject({ done: 200, ready: 0, running: 0 });
      });

      it('a killed claimer loses its task to the next claimer', async () => {
        const b = await s.make();
        await b.board.add({ id: 'orphan', title: 'o' });
        const child = await s.child(b);
        const held = await child.call<{ id: string; token: string }>('boardClaimHold', { worker: 'doomed', leaseMs: s.deadHolderTtlMs });
        expect(held.id).toBe('orphan');
        await child.kill();
        const claim = await eventually(async () => (await b.board.claim(W)) ?? undefined, 10_000);
        expect(claim.task.id).toBe('orphan');
        expect(claim.attempt).toBe(2);
        await expectCode(b.board.complete('orphan', held.token, 'zombie'), CODES.leaseLost);
      });
    });
  });
}

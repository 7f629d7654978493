import { describe, expect, it } from 'vitest';
import { CODES, eventually, expectCode, sleep, type SuiteContext } from './suite-context.js';

export function barrierCases(s: SuiteContext): void {
  describe('barriers', () => {
    it('trips when all parties arrive; exactly one is last', async () => {
      const b = await s.make();
      const barrier = await b.barriers.get('round', { parties: 3 });
      const arrivals = await Promise.all([0, 1, 2].map((i) => barrier.wait({ party: `p${i}`, timeoutMs: 5_000 })));
      expect(arrivals.map((a) => a.generation)).toEqual([0, 0, 0]);
      expect(arrivals.map((a) => a.index).sort()).toEqual([0, 1, 2]);
      expect(arrivals.filter((a) => a.last)).toHaveLength(1);
    });

    it('does not trip before all parties arrived', async () => {
      const b = await s.make();
      const barrier = await b.barriers.get('partial', { parties: 2 });
      let passed = false;
      const waiting = barrier.wait({ timeoutMs: 5_000 }).then(() => {
        passed = true;
      });
      await sleep(100);
      expect(passed).toBe(false);
      expect((await barrier.state()).arrived).toBe(1);
      await barrier.wait({ timeoutMs: 5_000 });
      await waiting;
      expect(passed).toBe(true);
    });

    it('starts a new generation after a trip (cyclic)', async () => {
      const b = await s.make();
      const barrier = await b.barriers.get('cyclic', { parties: 2 });
      const first = await Promise.all([barrier.wait({ timeoutMs: 5_000 }), barrier.wait({ timeoutMs: 5_000 })]);
      const second = await Promise.all([barrier.wait({ timeoutMs: 5_000 }), barrier.wait({ timeoutMs: 5_000 })]);
      expect(first.map((a) => a.generation)).toEqual([0, 0]);
      expect(second.map((a) => a.generation)).toEqual([1, 1]);
      expect((await barrier.state()).generation).toBe(2);
    });

    it('arrive() then wait({ arrival }) waits for that generation', async () => {
      const b = await s.make();
      const barrier = await b.barriers.get('split', { parties: 2 });
      const arrival = await barrier.arrive({ party: 'early' });
      expect(arrival).toMatchObject({ generation: 0, index: 0, last: false });
      const waiting = barrier.wait({ arrival, timeoutMs: 5_000 });
      const last = await barrier.arrive({ party: 'late' });
      expect(last.last).toBe(true);
      await expect(waiting).resolves.toMatchObject({ generation: 0 });
    });

    it('a timed-out party breaks the generation: TimeoutError for it, BarrierBrokenError for others, until reset', async () => {
      const b = await s.make();
      const barrier = await b.barriers.get('strict', { parties: 3 });
      const other = barrier.wait({ party: 'patient', timeoutMs: 10_000 });
      const otherResult = other.catch((e: unknown) => e);
      await expectCode(barrier.wait({ party: 'hasty', timeoutMs: 80 }), CODES.timeout);
      const broken = (await otherResult) as { code?: string; reason?: string };
      expect(broken.code).toBe(CODES.barrierBroken);
      expect(broken.reason).toContain('hasty');
      expect((await barrier.state()).broken).toContain('timed out');
      await expectCode(barrier.arrive(), CODES.barrierBroken);
      await barrier.reset();
      expect((await barrier.state()).broken).toBeNull();
      const again = await Promise.all([0, 1, 2].map(() => barrier.wait({ timeoutMs: 5_000 })));
      expect(new Set(again.map((a) => a.generation)).size).toBe(1);
    });

    it('break(reason) wakes every waiter with BarrierBrokenError carrying the reason', async () => {
      const b = await s.make();
      const barrier = await b.barriers.get('stop', { parties: 3 });
      const waits = [barrier.wait({ timeoutMs: 10_000 }), barrier.wait({ timeoutMs: 10_000 })].map((p) => p.catch((e: unknown) => e));
      await eventually(async () => (await barrier.state()).arrived === 2);
      await barrier.break('planner crashed');
      for (const e of (await Promise.all(waits)) as { code?: string; reason?: string }[]) {
        expect(e.code).toBe(CODES.barrierBroken);
        expect(e.reason).toBe('planner crashed');
      }
    });

    it('reset() while parties wait breaks their generation and starts a fresh one', async () => {
      const b = await s.make();
      const barrier = await b.barriers.get('reset', { parties: 2 });
      const waiting = barrier.wait({ timeoutMs: 10_000 }).catch((e: unknown) => e);
      await eventually(async () => (await barrier.state()).arrived === 1);
      await barrier.reset();
      expect(((await waiting) as { code?: string }).code).toBe(CODES.barrierBroken);
      const state = await barrier.state();
      expect(state).toMatchObject({ arrived: 0, broken: null });
      const pair = await Promise.all([barrier.wait({ timeoutMs: 5_000 }), barrier.wait({ timeoutMs: 5_000 })]);
      expect(pair[0].generation).toBe(state.generation);
    });

    it('rejects a different party count for an existing barrier', async () => {
      const b = await s.make();
      await b.barriers.get('fixed', { parties: 2 });
      const error = await expectCode(b.barriers.get('fixed', { parties: 3 }), CODES.invalid);
      expect(String(error.field)).toContain('parties');
      await expectCode(b.barriers.get('zero', { parties: 0 }), CODES.invalid);
    });

    it.runIf(s.multiProcess)('trips across processes', async () => {
      const b = await s.make();
      const children = await Promise.all([0, 1, 2].map(() => s.child(b)));
      const barrier = await b.barriers.get('fleet', { parties: 4 });
      const results = await Promise.all([
        ...children.map((c, i) => c.call<{ generation: number; index: number }>('barrierWait', { name: 'fleet', parties: 4, timeoutMs: 20_000, party: `child-${i}` })),
        barrier.wait({ timeoutMs: 20_000, party: 'parent' }),
      ]);
      expect(results.map((r) => r.generation)).toEqual([0, 0, 0, 0]);
      expect(results.map((r) => r.index).sort()).toEqual([0, 1, 2, 3]);
    });
  });
}

import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '@agentmux/core';
import { CODES, eventually, expectCode, type SuiteContext } from './suite-context.js';

export function activityCases(s: SuiteContext): void {
  describe('activity log', () => {
    it('appends with gap-free seqs and queries by filters', async () => {
      const b = await s.make();
      const a = await b.activity.append({ actor: 'planner', type: 'task-added', payload: { id: 1 } });
      const c = await b.activity.append({ actor: 'worker-1', type: 'task-claimed' });
      const d = await b.activity.append({ actor: 'worker-1', type: 'task-completed', payload: { ok: true } });
      expect([a.seq, c.seq, d.seq]).toEqual([1, 2, 3]);
      expect(c.payload).toBeNull();
      expect(Date.parse(a.time)).not.toBeNaN();
      expect((await b.activity.query({ actor: 'worker-1' })).map((e) => e.seq)).toEqual([2, 3]);
      expect((await b.activity.query({ type: 'task-added' })).map((e) => e.seq)).toEqual([1]);
      expect((await b.activity.query({ afterSeq: 1, limit: 1 })).map((e) => e.seq)).toEqual([2]);
      expect(await b.activity.query({ until: a.time })).toEqual([]);
      expect((await b.activity.query({ since: a.time })).length).toBe(3);
      await expectCode(b.activity.query({ since: 'yesterday' }), CODES.invalid);
    });

    it('tail yields existing events, or the last N', async () => {
      const b = await s.make();
      for (let i = 0; i < 5; i += 1) await b.activity.append({ actor: 'a', type: 'step-done', payload: i });
      const all: number[] = [];
      for await (const e of b.activity.tail()) all.push(e.seq);
      expect(all).toEqual([1, 2, 3, 4, 5]);
      const last: number[] = [];
      for await (const e of b.activity.tail({ last: 2 })) last.push(e.seq);
      expect(last).toEqual([4, 5]);
      const after: number[] = [];
      for await (const e of b.activity.tail({ afterSeq: 3 })) after.push(e.seq);
      expect(after).toEqual([4, 5]);
    });

    it('tail({ follow }) streams later appends until aborted', async () => {
      const b = await s.make();
      await b.activity.append({ actor: 'a', type: 'agent-added' });
      const controller = new AbortController();
      const seen: ActivityEvent[] = [];
      const reading = (async () => {
        for await (const e of b.activity.tail({ follow: true, signal: controller.signal })) seen.push(e);
      })();
      await eventually(async () => seen.length === 1);
      await b.activity.append({ actor: 'b', type: 'turn-ended', payload: { n: 1 } });
      await b.activity.append({ actor: 'b', type: 'turn-ended', payload: { n: 2 } });
      await eventually(async () => seen.length === 3, 5_000);
      controller.abort();
      await reading;
      expect(seen.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(seen[2]).toMatchObject({ actor: 'b', type: 'turn-ended', payload: { n: 2 } });
    });

    it('rejects bad events with InvalidArgumentError', async () => {
      const b = await s.make();
      const e = await expectCode(b.activity.append({ actor: 'a', type: 'Not Noun Verb' }), CODES.invalid);
      expect(String(e.field)).toContain('type');
      await expectCode(b.activity.append({ actor: '', type: 'x-y' }), CODES.invalid);
    });

    it.runIf(s.multiProcess)('4 processes appending get unique, gap-free seqs', async () => {
      const b = await s.make();
      const children = await Promise.all([0, 1, 2, 3].map(() => s.child(b)));
      const seqs = await Promise.all(children.map((c, i) => c.call<number[]>('activityAppend', { actor: `p${i}`, count: 50 })));
      const all = seqs.flat().sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const events = await b.activity.query();
      expect(events.map((e) => e.seq)).toEqual(all);
    });
  });
}

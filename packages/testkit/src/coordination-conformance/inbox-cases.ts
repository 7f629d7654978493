import { describe, expect, it } from 'vitest';
import { CODES, expectCode, sleep, type SuiteContext } from './suite-context.js';

export function inboxCases(s: SuiteContext): void {
  describe('inboxes', () => {
    it('delivers oldest first, acks once, counts pending', async () => {
      const b = await s.make();
      const sent = [];
      for (let i = 0; i < 3; i += 1) sent.push(await b.inboxes.send('agent-1', { from: 'lead', body: `msg ${i}`, data: { i } }));
      expect(sent[0]).toMatchObject({ to: 'agent-1', from: 'lead', body: 'msg 0' });
      expect(await b.inboxes.pending('agent-1')).toEqual({ queued: 3, inFlight: 0 });
      const got = await b.inboxes.receive('agent-1', { max: 2 });
      expect(got.map((m) => m.body)).toEqual(['msg 0', 'msg 1']);
      expect(got.map((m) => m.id)).toEqual([sent[0]?.id, sent[1]?.id]);
      expect(got[0]).toMatchObject({ deliveryCount: 1, data: { i: 0 } });
      expect(await b.inboxes.pending('agent-1')).toEqual({ queued: 1, inFlight: 2 });
      expect(await b.inboxes.ack('agent-1', got[0]!.id)).toBe(true);
      expect(await b.inboxes.ack('agent-1', got[0]!.id)).toBe(false);
      expect(await b.inboxes.ack('agent-1', 'unknown-id')).toBe(false);
      expect((await b.inboxes.receive('agent-1')).map((m) => m.body)).toEqual(['msg 2']);
      expect(await b.inboxes.receive('agent-2')).toEqual([]);
    });

    it('redelivers an unacked message after the visibility timeout', async () => {
      const b = await s.make();
      const sent = await b.inboxes.send('agent-1', { body: 'hello' });
      const first = await b.inboxes.receive('agent-1', { visibilityTimeoutMs: 60 });
      expect(first.map((m) => m.id)).toEqual([sent.id]);
      expect(await b.inboxes.receive('agent-1', { visibilityTimeoutMs: 60 })).toEqual([]);
      await sleep(120);
      const again = await b.inboxes.receive('agent-1', { visibilityTimeoutMs: 60_000 });
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ id: sent.id, deliveryCount: 2, body: 'hello' });
      expect(await b.inboxes.ack('agent-1', sent.id)).toBe(true);
      await sleep(10);
      expect(await b.inboxes.pending('agent-1')).toEqual({ queued: 0, inFlight: 0 });
    });

    it('rejects bad input with InvalidArgumentError', async () => {
      const b = await s.make();
      const e = await expectCode(b.inboxes.send('agent-1', { body: '' }), CODES.invalid);
      expect(String(e.field)).toContain('body');
      await expectCode(b.inboxes.send('not a name', { body: 'x' }), CODES.invalid);
      await expectCode(b.inboxes.receive('agent-1', { max: 0 }), CODES.invalid);
    });

    it.runIf(s.multiProcess)('3 processes receiving concurrently never share a message', async () => {
      const b = await s.make();
      for (let i = 0; i < 150; i += 1) await b.inboxes.send('shared', { body: `m${i}` });
      const children = await Promise.all([0, 1, 2].map(() => s.child(b)));
      const got = await Promise.all(children.map((c) => c.call<string[]>('inboxReceiveAll', { agent: 'shared', visibilityTimeoutMs: 60_000 })));
      const all = got.flat();
      expect(all).toHaveLength(150);
      expect(new Set(all).size).toBe(150);
      expect(await b.inboxes.pending('shared')).toEqual({ queued: 0, inFlight: 0 });
    });
  });
}

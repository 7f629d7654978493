import { describe, expect, it } from 'vitest';
import { InboxDeliverer } from '@agentmux/core';
import { eventually, sleep, type SuiteContext } from './suite-context.js';

/** A turn-boundary signal the test fires by hand. */
function manualBoundary(): { signal: (l: () => void) => () => void; fire: () => void } {
  const listeners = new Set<() => void>();
  return {
    signal: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    fire: () => {
      for (const l of listeners) l();
    },
  };
}

export function delivererCases(s: SuiteContext): void {
  describe('inbox deliverer', () => {
    it('delivers only at turn boundaries and acks after a successful delivery', async () => {
      const b = await s.make();
      const boundary = manualBoundary();
      const typed: string[] = [];
      const delivered: string[] = [];
      await using deliverer = new InboxDeliverer({
        inbox: b.inboxes,
        agent: 'coder',
        deliver: async (_agent, text) => {
          typed.push(text);
        },
        onTurnBoundary: boundary.signal,
      });
      deliverer.on('messages-delivered', (messages) => delivered.push(...messages.map((m) => m.body)));
      await b.inboxes.send('coder', { from: 'reviewer', subject: 'nit', body: 'rename foo' });
      await sleep(50);
      expect(typed).toEqual([]);
      boundary.fire();
      await eventually(async () => typed.length === 1);
      expect(typed[0]).toContain('rename foo');
      expect(typed[0]).toContain('reviewer');
      await eventually(async () => delivered.length === 1);
      expect(delivered).toEqual(['rename foo']);
      expect(await b.inboxes.pending('coder')).toEqual({ queued: 0, inFlight: 0 });
    });

    it('does not ack when delivery fails; the message comes back', async () => {
      const b = await s.make();
      const boundary = manualBoundary();
      let fail = true;
      const typed: string[] = [];
      const failures: unknown[] = [];
      await using deliverer = new InboxDeliverer({
        inbox: b.inboxes,
        agent: 'coder',
        visibilityTimeoutMs: 60,
        deliver: async (_agent, text) => {
          if (fail) throw new Error('agent busy');
          typed.push(text);
        },
        onTurnBoundary: boundary.signal,
      });
      deliverer.on('delivery-failed', (info) => failures.push(info.error));
      await b.inboxes.send('coder', { body: 'please rebase' });
      expect(await deliverer.flush()).toBe(0);
      expect(failures).toHaveLength(1);
      expect(await b.inboxes.pending('coder')).toEqual({ queued: 0, inFlight: 1 });
      fail = false;
      await sleep(100);
      expect(await deliverer.flush()).toBe(1);
      expect(typed).toEqual([expect.stringContaining('please rebase')]);
      expect(await b.inboxes.pending('coder')).toEqual({ queued: 0, inFlight: 0 });
    });
  });
}

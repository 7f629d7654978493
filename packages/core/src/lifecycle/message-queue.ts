import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { TimeoutError } from '../errors/index.js';
import type { AgentManager, SendOptions } from './agent-manager.js';
import type { QueuedMessage } from './agent-record.js';
import type { AgentRuntime } from './agent-runtime.js';
import { BUSY_STATES, decideStatus } from './agent-status-probe.js';
import { deliverText, type ConfirmedBy } from './verified-send.js';

/** What `send` did. */
export interface SendResult {
  /** `delivered` (submitted and confirmed), `typed` (submit: false), `queued` (will be delivered at the next turn boundary), `duplicate` (idempotency key seen). */
  status: 'delivered' | 'typed' | 'queued' | 'duplicate';
  /** Message id (for `duplicate`: empty). */
  messageId: string;
  /** Why it was queued. */
  reason?: string;
  confirmedBy?: ConfirmedBy;
  enterPresses?: number;
  /** Milliseconds from typing to confirmation. */
  ms?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const hash = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * The per-agent persisted message queue and its delivery: one send at a time per agent (mutex), text held
 * back while the agent works and delivered at the turn boundary, in-flight messages replayed after a crash
 * unless the transcript shows they landed, idempotency keys honoured.
 */
export class MessageQueue {
  constructor(private readonly m: AgentManager) {}

  /**
   * Queues `text`, then delivers from the head of the queue while the agent is ready. With `waitMs`, keeps
   * trying that long for a turn boundary before answering `queued`.
   */
  send(rt: AgentRuntime, text: string, options: SendOptions): Promise<SendResult> {
    const name = rt.record.name;
    return this.m.mutex.run(name, async () => {
      const key = options.idempotencyKey;
      const queue = await this.m.store.queue(name);
      if (key !== undefined && (this.m.store.hasDeliveredKey(name, key) || queue.some((q) => q.idempotencyKey === key))) {
        return { status: 'duplicate', messageId: queue.find((q) => q.idempotencyKey === key)?.id ?? '' };
      }
      const message: QueuedMessage = {
        id: randomUUID(), text, submit: options.submit ?? true, enqueuedAt: new Date().toISOString(), state: 'queued', attempts: 0,
        ...(key !== undefined ? { idempotencyKey: key } : {}),
      };
      await this.m.store.saveQueue(name, [...queue, message]);
      const deadline = Date.now() + (options.waitMs ?? 0);
      for (;;) {
        const outcome = await this.drain(rt, message.id, options.timeoutMs);
        if ('status' in outcome) return outcome;
        if (Date.now() >= deadline) {
          this.m.emit('message-queued', { name, messageId: message.id, reason: outcome.blocked });
          return { status: 'queued', messageId: message.id, reason: outcome.blocked };
        }
        await sleep(200);
      }
    });
  }

  /** Delivers queued messages while the agent is idle (called by the watchdog at each tick). */
  async pump(rt: AgentRuntime): Promise<void> {
    const name = rt.record.name;
    if (this.m.mutex.isBusy(name) || rt.record.state !== 'running') return;
    if ((await this.m.store.queue(name)).length === 0) return;
    await this.m.mutex.run(name, () => this.drain(rt, null));
  }

  /**
   * Delivers from the head of the queue until it is empty, the agent is busy, or `target` was delivered.
   * Call inside the agent's mutex.
   */
  private async drain(rt: AgentRuntime, target: string | null, timeoutMs?: number): Promise<SendResult | { blocked: string }> {
    const name = rt.record.name;
    for (;;) {
      const head = (await this.m.store.queue(name))[0];
      if (!head) return { blocked: 'the queue is empty' };
      if (head.state === 'in-flight' && (await this.landed(rt, head))) {
        await this.complete(rt, head);
        this.m.emit('message-skipped', { name, messageId: head.id, reason: 'the transcript already holds it' });
        continue;
      }
      const reason = await this.blockedReason(rt);
      if (reason) return { blocked: head.id === target ? reason : `earlier messages are queued and ${reason}` };
      const result = await this.deliver(rt, head, timeoutMs);
      if (head.id === target) return result;
    }
  }

  /** Why a message cannot be typed now, or null. */
  private async blockedReason(rt: AgentRuntime): Promise<string | null> {
    if (rt.record.state !== 'running') return 'the agent is not running';
    if (!rt.ready && !(await this.waitReady(rt))) return 'the agent UI is not ready';
    const status = await decideStatus(this.m.backend, rt);
    if (status.state === 'exited') return 'the agent is not running';
    if (BUSY_STATES.has(status.state)) return `the agent is ${status.state} (${status.decidedBy?.rule ?? 'no rule'})`;
    return null;
  }

  /** True when an in-flight message's text shows up as a turn started after it was typed. */
  private async landed(rt: AgentRuntime, message: QueuedMessage): Promise<boolean> {
    if (!message.submit) return false;
    await rt.tracker.poll().catch(() => undefined);
    return rt.tracker.findTurn(message.text, message.afterTurn ?? 0) !== undefined;
  }

  /**
   * Waits until the UI is ready for typing: the provider reads the pane as idle, or the screen shows
   * something and stays unchanged for 300 ms. False when the agent died or the wait timed out.
   */
  async waitReady(rt: AgentRuntime): Promise<boolean> {
    const name = rt.record.name;
    const deadline = Date.now() + (this.m.options.readyTimeoutMs ?? 20_000);
    let last = '';
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      if (!(await this.m.backend.isAlive(name))) return false;
      const screen = await this.m.backend.capture(name).catch(() => '');
      const pane = rt.provider.statusFromPane(screen);
      if (pane?.state === 'idle') break;
      const h = hash(screen);
      if (h !== last) {
        last = h;
        stableSince = Date.now();
      } else if (screen.trim() !== '' && Date.now() - stableSince >= 300 && pane === null) {
        break;
      }
      await sleep(50);
    }
    rt.ready = Date.now() < deadline;
    return rt.ready;
  }

  private async deliver(rt: AgentRuntime, message: QueuedMessage, timeoutMs?: number): Promise<SendResult> {
    const name = rt.record.name;
    // The status check just polled the transcript: lastTurnIndex is fresh.
    await this.update(name, message.id, (q) => ({ ...q, state: 'in-flight', attempts: q.attempts + 1, afterTurn: rt.tracker.lastTurnIndex + 1 }));
    const tuning = { ...this.m.options.send, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    let report;
    try {
      report = await deliverText({ backend: this.m.backend, name, provider: rt.provider, tracker: rt.tracker, tuning }, message.text, message.submit);
    } catch (error) {
      if (TimeoutError.isInstance(error)) this.m.emit('agent-errored', { name, error });
      throw error;
    }
    await this.complete(rt, message);
    this.m.emit('message-delivered', { name, messageId: message.id, confirmedBy: report.confirmedBy, enterPresses: report.enterPresses, ms: report.ms });
    return {
      status: message.submit ? 'delivered' : 'typed', messageId: message.id,
      confirmedBy: report.confirmedBy, enterPresses: report.enterPresses, ms: report.ms,
    };
  }

  private async complete(rt: AgentRuntime, message: QueuedMessage): Promise<void> {
    const name = rt.record.name;
    if (message.idempotencyKey !== undefined) await this.m.store.addDeliveredKey(name, message.idempotencyKey, message.id);
    const queue = await this.m.store.queue(name);
    await this.m.store.saveQueue(name, queue.filter((q) => q.id !== message.id));
  }

  private async update(name: string, id: string, change: (q: QueuedMessage) => QueuedMessage): Promise<void> {
    const queue = await this.m.store.queue(name);
    await this.m.store.saveQueue(name, queue.map((q) => (q.id === id ? change(q) : q)));
  }
}

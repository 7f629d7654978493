import { EventEmitter } from 'eventemitter3';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { InboxMessage, InboxV1 } from '../spec/coordination/inbox-v1.js';

/** Subscribes to "the agent finished a turn" signals; returns the unsubscribe function. */
export type TurnBoundarySignal = (listener: () => void) => () => void;

/** Options of `InboxDeliverer`. */
export interface InboxDelivererOptions {
  /** Where messages wait. */
  inbox: InboxV1;
  /** The agent whose inbox is delivered. */
  agent: string;
  /**
   * Sends text into the agent (the lifecycle's verified send). Must resolve only once the agent accepted
   * the text, and reject otherwise: messages are acked only after it resolves.
   */
  deliver: (agent: string, text: string) => Promise<void>;
  /** Turn-boundary signal: delivery happens only at these moments (and on `flush()`). */
  onTurnBoundary: TurnBoundarySignal;
  /** Messages per delivery (default 10). */
  max?: number;
  /** Visibility timeout while delivering (default 60 000 ms); unacked messages come back after it. */
  visibilityTimeoutMs?: number;
  /** Builds the text typed into the agent (default: one block per message with sender and subject). */
  format?: (messages: readonly InboxMessage[]) => string;
}

/** Events of `InboxDeliverer`. */
export interface InboxDelivererEvents {
  /** Messages were delivered and acked. */
  'messages-delivered': [messages: InboxMessage[]];
  /** `deliver` rejected: the messages stay unacked and are redelivered after the visibility timeout. */
  'delivery-failed': [info: { messages: InboxMessage[]; error: unknown }];
}

/** Default text for a batch of messages. */
export function formatInboxMessages(messages: readonly InboxMessage[]): string {
  return messages
    .map((m) => {
      const head = `[message${m.from ? ` from ${m.from}` : ''}${m.subject ? `: ${m.subject}` : ''}]`;
      return `${head}\n${m.body}`;
    })
    .join('\n\n');
}

/**
 * Delivers an agent's inbox at turn boundaries, so messages never interrupt a turn in progress. Each
 * boundary takes up to `max` messages, types them with `deliver`, and acks them only after `deliver`
 * resolved; a failed delivery leaves them to be redelivered (at-least-once). Deliveries never overlap.
 */
export class InboxDeliverer extends EventEmitter<InboxDelivererEvents> implements AsyncDisposable {
  private readonly options: InboxDelivererOptions;
  private readonly unsubscribe: () => void;
  private running: Promise<number> | undefined;
  private again = false;
  private closed = false;

  constructor(options: InboxDelivererOptions) {
    super();
    if (typeof options.deliver !== 'function') {
      throw new InvalidArgumentError('deliver', 'must be a function (agent, text) => Promise<void>', "pass the lifecycle's verified send");
    }
    if (typeof options.onTurnBoundary !== 'function') {
      throw new InvalidArgumentError('onTurnBoundary', 'must be a function (listener) => unsubscribe', 'pass a turn-boundary subscription');
    }
    this.options = options;
    this.unsubscribe = options.onTurnBoundary(() => {
      void this.flush().catch(() => undefined);
    });
  }

  /** Delivers waiting messages now; resolves with how many were delivered (0 on failure). */
  flush(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.deliverOnce().finally(() => {
      this.running = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        void this.flush().catch(() => undefined);
      }
    });
    return this.running;
  }

  private async deliverOnce(): Promise<number> {
    const { inbox, agent } = this.options;
    const messages = await inbox.receive(agent, {
      max: this.options.max ?? 10,
      visibilityTimeoutMs: this.options.visibilityTimeoutMs ?? 60_000,
    });
    if (messages.length === 0) return 0;
    const text = (this.options.format ?? formatInboxMessages)(messages);
    try {
      await this.options.deliver(agent, text);
    } catch (error) {
      this.emit('delivery-failed', { messages, error });
      return 0;
    }
    for (const m of messages) await inbox.ack(agent, m.id);
    this.emit('messages-delivered', messages);
    return messages.length;
  }

  /** Stops listening to turn boundaries and waits for a delivery in progress. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await this.running?.catch(() => undefined);
    this.removeAllListeners();
  }
}

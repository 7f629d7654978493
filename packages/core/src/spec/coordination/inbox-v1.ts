import { z } from 'zod';
import { CoordinationNameSchema, JsonValueSchema } from './names.js';

/** What a sender gives to `InboxV1.send`. */
export const MessageInputSchema = z.object({
  /** Sender (agent name or `user`). */
  from: z.string().min(1).max(200).optional(),
  /** Optional subject line. */
  subject: z.string().max(500).optional(),
  /** The text to deliver to the agent (1 byte – 256 KiB). */
  body: z.string().min(1).max(262_144),
  /** Optional machine-readable data. */
  data: JsonValueSchema.optional(),
});
export type MessageInput = z.infer<typeof MessageInputSchema>;

/** A message as received. */
export const InboxMessageSchema = z.object({
  /** Message id, unique; ids sort in send order per backend. */
  id: z.string(),
  /** Recipient agent. */
  to: CoordinationNameSchema,
  from: z.string().optional(),
  subject: z.string().optional(),
  body: z.string(),
  data: JsonValueSchema.optional(),
  /** ISO-8601 send time. */
  sentAt: z.string(),
  /** How many times it has been handed out, this delivery included (1 on first receive, 0 as returned by `send`). */
  deliveryCount: z.number().int().min(0),
});
export type InboxMessage = z.infer<typeof InboxMessageSchema>;

/** Options of `receive`. */
export const ReceiveOptionsSchema = z.object({
  /** Most messages to return (1–1000, default 10). */
  max: z.number().int().min(1).max(1000).optional(),
  /** Ms a received message stays hidden before redelivery unless acked (≥ 1, default 30 000). */
  visibilityTimeoutMs: z.number().int().min(1).optional(),
});
export type ReceiveOptions = z.infer<typeof ReceiveOptionsSchema>;

/**
 * Per-agent inboxes with at-least-once delivery.
 *
 * Rules (checked by the conformance suite): messages come out oldest first; a received message is hidden
 * for the visibility timeout and handed out again (with `deliveryCount` + 1) unless acked; two concurrent
 * receivers never get the same message in the same visibility window; `ack` of an unknown or already
 * acked id returns `false`.
 */
export interface InboxV1 {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /** Queues a message for `to`; returns it with its id. */
  send(to: string, message: MessageInput): Promise<InboxMessage>;
  /** Takes up to `max` visible messages for `agent` (redelivering timed-out ones first). */
  receive(agent: string, options?: ReceiveOptions): Promise<InboxMessage[]>;
  /** Acknowledges (deletes) a received message. `false` when unknown or already acked. */
  ack(agent: string, id: string): Promise<boolean>;
  /** Counts: `queued` (visible or waiting redelivery) and `inFlight` (received, not acked, not timed out). */
  pending(agent: string): Promise<{ queued: number; inFlight: number }>;
}

import { z } from 'zod';

/** Options of `BarrierServiceV1.get`. */
export const BarrierOptionsSchema = z.object({
  /** Number of parties that must arrive to trip the barrier (1–10 000). Fixed per barrier name. */
  parties: z.number().int().min(1).max(10_000),
});
export type BarrierOptions = z.infer<typeof BarrierOptionsSchema>;

/** Options of `arrive` / `wait`. */
export const BarrierWaitOptionsSchema = z.object({
  /** Party name for humans and `state()` (default `pid:<pid>`). */
  party: z.string().min(1).max(200).optional(),
  /** Give up after this many ms (default: wait forever). A timed-out party breaks the generation. */
  timeoutMs: z.number().int().min(0).optional(),
});
export type BarrierWaitOptions = z.infer<typeof BarrierWaitOptionsSchema> & {
  /** Aborts the wait (without breaking the barrier); rejects with the signal's reason. */
  signal?: AbortSignal;
};

/** One party's arrival. */
export const BarrierArrivalSchema = z.object({
  /** Generation (round) the party joined, starting at 0. */
  generation: z.number().int().min(0),
  /** Arrival order within the generation, 0-based. */
  index: z.number().int().min(0),
  /** True for the party whose arrival tripped the barrier. */
  last: z.boolean(),
});
export type BarrierArrival = z.infer<typeof BarrierArrivalSchema>;

/** A snapshot of a barrier. */
export const BarrierStateSchema = z.object({
  /** Barrier name. */
  name: z.string(),
  /** Parties needed per generation. */
  parties: z.number().int(),
  /** Current generation. */
  generation: z.number().int().min(0),
  /** Parties arrived in the current generation. */
  arrived: z.number().int().min(0),
  /** Why the current generation is broken, or `null`. */
  broken: z.string().nullable(),
});
export type BarrierState = z.infer<typeof BarrierStateSchema>;

/**
 * A cyclic barrier shared across processes.
 *
 * Rules (checked by the conformance suite):
 * - a generation trips when `parties` parties have arrived; every waiter of it resolves; the next arrival
 *   starts the next generation (no reset needed after a trip);
 * - a party whose `timeoutMs` runs out breaks the generation and rejects with `TimeoutError`; `break(reason)`
 *   breaks it too; every other waiter of that generation rejects with `BarrierBrokenError`;
 * - while broken, new arrivals reject with `BarrierBrokenError` at once, until `reset()`;
 * - `reset()` breaks the current generation if parties wait in it (they get `BarrierBrokenError`, reason
 *   `reset`) and starts a fresh generation.
 */
export interface BarrierV1 {
  /** Barrier name. */
  readonly name: string;
  /** Parties per generation. */
  readonly parties: number;
  /** Registers an arrival without waiting. Rejects with `BarrierBrokenError` when broken. */
  arrive(options?: Omit<BarrierWaitOptions, 'timeoutMs' | 'signal'>): Promise<BarrierArrival>;
  /**
   * Waits until the generation trips. Without `arrival`, arrives first. With `arrival` (from `arrive()`),
   * waits for that arrival's generation.
   */
  wait(options?: BarrierWaitOptions & { arrival?: BarrierArrival }): Promise<BarrierArrival>;
  /** Breaks the current generation: waiters and later arrivals get `BarrierBrokenError` until `reset()`. */
  break(reason: string): Promise<void>;
  /** Starts a fresh generation (breaking the current one if parties wait in it). */
  reset(): Promise<void>;
  /** Current generation, arrivals and broken state. */
  state(): Promise<BarrierState>;
}

/** Opens named barriers. */
export interface BarrierServiceV1 {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /**
   * Opens (creating when new) the barrier `name`. The party count is fixed at creation: a different count
   * for an existing name rejects with `InvalidArgumentError`.
   */
  get(name: string, options: BarrierOptions): Promise<BarrierV1>;
}

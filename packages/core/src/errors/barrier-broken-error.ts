import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_BARRIER_BROKEN';

/**
 * A barrier generation was broken (a party timed out, called `break(reason)`, or `reset()` ran while parties
 * waited). Every waiter of that generation gets this error; new arrivals get it too until `reset()`.
 */
export class BarrierBrokenError extends AgentmuxError {
  /** Barrier name. */
  readonly barrier: string;
  /** Generation that broke. */
  readonly generation: number;
  /** Why it broke, e.g. `party timed out after 5000 ms` or the text given to `break(reason)`. */
  readonly reason: string;

  constructor(barrier: string, generation: number, reason: string, options: AgentmuxErrorOptions = {}) {
    super(
      CODE,
      `Barrier "${barrier}" generation ${generation} is broken: ${reason}. Fix: call reset() on the barrier before the next round.`,
      options,
    );
    this.name = 'BarrierBrokenError';
    this.barrier = barrier;
    this.generation = generation;
    this.reason = reason;
  }

  static override isInstance(error: unknown): error is BarrierBrokenError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_LEASE_LOST';

/**
 * A lease (a board claim or a lock) is no longer held by the caller: it expired and was reclaimed or granted to
 * someone else, or it was already completed/released. The caller must stop acting on it (fencing).
 */
export class LeaseLostError extends AgentmuxError {
  /** What the lease was on, e.g. `task:build-1` or `lock:deploy`. */
  readonly resource: string;
  /** The stale claim token or fencing token the caller presented. */
  readonly token: string;

  constructor(resource: string, token: string, hint = '', options: AgentmuxErrorOptions = {}) {
    super(
      CODE,
      `Lease on ${resource} (token ${token}) is no longer held.${hint ? ` ${hint}` : ' It expired and was reclaimed; stop working on it and claim again.'}`,
      options,
    );
    this.name = 'LeaseLostError';
    this.resource = resource;
    this.token = token;
  }

  static override isInstance(error: unknown): error is LeaseLostError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

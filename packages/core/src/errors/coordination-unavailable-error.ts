import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_COORDINATION_UNAVAILABLE';

/** The coordination backend (state directory, Redis server) cannot be reached or was disposed. */
export class CoordinationUnavailableError extends AgentmuxError {
  /** Backend id, e.g. `file` or `redis`. */
  readonly backend: string;

  constructor(backend: string, message: string, options: AgentmuxErrorOptions = {}) {
    super(CODE, `Coordination backend "${backend}" is unavailable: ${message}`, options);
    this.name = 'CoordinationUnavailableError';
    this.backend = backend;
  }

  static override isInstance(error: unknown): error is CoordinationUnavailableError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

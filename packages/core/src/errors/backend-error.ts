import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_BACKEND';

/** A session backend (tmux, pty, headless) failed to carry out an operation. */
export class BackendError extends AgentmuxError {
  /** Backend id, e.g. `tmux`. */
  readonly backend: string;
  /** The operation, e.g. `send-keys`. */
  readonly operation: string;

  constructor(backend: string, operation: string, message: string, options: AgentmuxErrorOptions = {}) {
    super(CODE, `${backend} ${operation} failed: ${message}`, options);
    this.name = 'BackendError';
    this.backend = backend;
    this.operation = operation;
  }

  static override isInstance(error: unknown): error is BackendError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

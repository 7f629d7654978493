import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_TIMEOUT';

/** An operation did not complete within its deadline. */
export class TimeoutError extends AgentmuxError {
  /** What was being waited for, e.g. `lock:deploy`. */
  readonly operation: string;
  /** The deadline in milliseconds. */
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number, hint = '', options: AgentmuxErrorOptions = {}) {
    super(CODE, `${operation} timed out after ${timeoutMs} ms.${hint ? ` ${hint}` : ''}`, options);
    this.name = 'TimeoutError';
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }

  static override isInstance(error: unknown): error is TimeoutError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

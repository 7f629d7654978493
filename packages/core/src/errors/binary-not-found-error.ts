import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_BINARY_NOT_FOUND';

/** A provider's CLI executable could not be found on PATH or at the configured location. */
export class BinaryNotFoundError extends AgentmuxError {
  /** Provider id, e.g. `claude`. */
  readonly provider: string;
  /** Places that were searched. */
  readonly searched: readonly string[];

  constructor(provider: string, searched: readonly string[], hint: string, options: AgentmuxErrorOptions = {}) {
    super(CODE, `Could not find the ${provider} CLI (searched: ${searched.join(', ') || 'PATH'}). ${hint}`, options);
    this.name = 'BinaryNotFoundError';
    this.provider = provider;
    this.searched = searched;
  }

  static override isInstance(error: unknown): error is BinaryNotFoundError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

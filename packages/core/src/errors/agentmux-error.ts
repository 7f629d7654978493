const marker = Symbol.for('agentmux.error');

/** Options shared by every agentmux error. */
export interface AgentmuxErrorOptions {
  /** The underlying error, kept for debugging; never contains secrets. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by agentmux. Use the static `isInstance` helpers rather than
 * `instanceof`: they work across duplicated package copies and realms.
 */
export class AgentmuxError extends Error {
  private readonly [marker] = true;
  /** Stable machine-readable code, e.g. `AGENTMUX_UNSUPPORTED_CAPABILITY`. */
  readonly code: string;

  constructor(code: string, message: string, options: AgentmuxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentmuxError';
    this.code = code;
  }

  static isInstance(error: unknown): error is AgentmuxError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** Helper for subclasses: checks the marker and the error code. */
  protected static hasCode(error: unknown, code: string): boolean {
    return AgentmuxError.isInstance(error) && error.code === code;
  }
}

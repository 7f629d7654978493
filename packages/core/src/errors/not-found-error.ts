import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_NOT_FOUND';

/** A named thing (agent, session, task, backend session) does not exist. */
export class NotFoundError extends AgentmuxError {
  /** Kind of thing, e.g. `agent`, `session`, `task`. */
  readonly kind: string;
  /** The identifier that was looked up. */
  readonly id: string;

  constructor(kind: string, id: string, hint = '', options: AgentmuxErrorOptions = {}) {
    super(CODE, `No ${kind} "${id}".${hint ? ` ${hint}` : ''}`, options);
    this.name = 'NotFoundError';
    this.kind = kind;
    this.id = id;
  }

  static override isInstance(error: unknown): error is NotFoundError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

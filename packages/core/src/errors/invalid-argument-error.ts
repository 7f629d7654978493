import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_INVALID_ARGUMENT';

/** Bad input from the caller: names the field, what was wrong, and how to fix it. */
export class InvalidArgumentError extends AgentmuxError {
  /** Dotted path of the offending field, e.g. `spawn.options.cwd`. */
  readonly field: string;
  /** What the caller should do instead. */
  readonly fix: string;

  constructor(field: string, problem: string, fix: string, options: AgentmuxErrorOptions = {}) {
    super(CODE, `Invalid ${field}: ${problem}. Fix: ${fix}`, options);
    this.name = 'InvalidArgumentError';
    this.field = field;
    this.fix = fix;
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

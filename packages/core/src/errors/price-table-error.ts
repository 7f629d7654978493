import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_PRICE_TABLE';

/** A price table (file or object) could not be read or failed validation; names the field and the fix. */
export class PriceTableError extends AgentmuxError {
  /** Where the table came from: a file path, or `<object>`. */
  readonly source: string;
  /** Dotted path of the offending field, e.g. `models.gpt-5.input_cost_per_token`; `` for the whole file. */
  readonly field: string;
  /** What to do instead. */
  readonly fix: string;

  constructor(source: string, field: string, problem: string, fix: string, options: AgentmuxErrorOptions = {}) {
    super(CODE, `Invalid price table ${source}${field ? ` at ${field}` : ''}: ${problem}. Fix: ${fix}`, options);
    this.name = 'PriceTableError';
    this.source = source;
    this.field = field;
    this.fix = fix;
  }

  static override isInstance(error: unknown): error is PriceTableError {
    return AgentmuxError.hasCode(error, CODE);
  }
}

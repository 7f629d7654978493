const marker = Symbol.for('agentmux.error');

/**
 * Bad input to a testkit helper or a fake CLI (scenario file, corpus options). Mirrors the style of
 * `@agentmux/core`'s `InvalidArgumentError` (code, field, fix) without depending on core, which the fakes
 * must not bundle.
 */
export class TestkitArgumentError extends Error {
  private readonly [marker] = true;
  readonly code = 'AGENTMUX_TESTKIT_INVALID_ARGUMENT';
  /** Dotted path of the offending field, e.g. `turns[2].askPermission`. */
  readonly field: string;
  /** What to do instead. */
  readonly fix: string;

  constructor(field: string, problem: string, fix: string, options: { cause?: unknown } = {}) {
    super(`Invalid ${field}: ${problem}. Fix: ${fix}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TestkitArgumentError';
    this.field = field;
    this.fix = fix;
  }

  static isInstance(error: unknown): error is TestkitArgumentError {
    return (
      typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true &&
      (error as { code?: unknown }).code === 'AGENTMUX_TESTKIT_INVALID_ARGUMENT'
    );
  }
}

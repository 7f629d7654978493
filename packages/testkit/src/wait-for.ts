/** `waitFor` gave up. Carries the last error thrown by the probe, if any. */
export class WaitForTimeoutError extends Error {
  readonly code = 'AGENTMUX_TESTKIT_WAIT_TIMEOUT';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WaitForTimeoutError';
  }
}

export interface WaitForOptions {
  /** Give up after this long (default 10000 ms). */
  timeoutMs?: number;
  /** Delay between probes (default 50 ms). */
  intervalMs?: number;
  /** What is being waited for, for the error message. */
  description?: string;
}

/**
 * Polls `fn` until it returns a value other than `undefined`, `null` or `false`, and returns that value.
 * A probe that throws counts as "not yet"; on timeout the last error is the `cause`.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Exclude<T, undefined | null | false>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const what = options.description ?? 'condition';
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new WaitForTimeoutError(`waitFor: ${what} not met within ${timeoutMs} ms${last}`, lastError === undefined ? {} : { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

import { expect } from 'vitest';
import type { CoordinationBackendV1 } from '@agentmux/core';
import { ChildPool, type BackendConnectSpec, type ConformanceChild } from './conformance-child.js';

/** Options of `runCoordinationConformance`. */
export interface CoordinationConformanceOptions {
  /**
   * How another process (or a second instance in this process) opens the same state as `backend`. Without
   * it, the multi-process and restart cases are skipped.
   */
  connect?: (backend: CoordinationBackendV1) => BackendConnectSpec;
  /**
   * True when the backend notices a dead holder by its pid on this host (the file backend); false when it
   * only relies on lease expiry (Redis). Decides how long the dead-holder cases wait.
   */
  detectsDeadPids?: boolean;
  /** Run the multi-process cases (default: true when `connect` is given). */
  multiProcess?: boolean;
}

/** What each group of cases gets. */
export class SuiteContext {
  private readonly backends = new Set<CoordinationBackendV1>();
  readonly pool = new ChildPool();

  constructor(
    private readonly makeBackend: () => Promise<CoordinationBackendV1>,
    readonly options: CoordinationConformanceOptions,
  ) {}

  /** A fresh backend (fresh state); disposed after the test. */
  async make(): Promise<CoordinationBackendV1> {
    const backend = await this.makeBackend();
    this.backends.add(backend);
    return backend;
  }

  /** A second instance on the same state (a "restart"). */
  async reopen(backend: CoordinationBackendV1): Promise<CoordinationBackendV1> {
    const spec = this.spec(backend);
    const mod = (await import(spec.module)) as Record<string, (...args: unknown[]) => Promise<CoordinationBackendV1>>;
    const factory = mod[spec.exportName];
    if (!factory) throw new Error(`${spec.module} has no export ${spec.exportName}`);
    const other = await factory(...spec.args);
    this.backends.add(other);
    return other;
  }

  spec(backend: CoordinationBackendV1): BackendConnectSpec {
    if (!this.options.connect) throw new Error('connect option missing');
    return this.options.connect(backend);
  }

  /** Forks a worker process on the same state. */
  child(backend: CoordinationBackendV1): Promise<ConformanceChild> {
    return this.pool.start(this.spec(backend));
  }

  get canReopen(): boolean {
    return this.options.connect !== undefined;
  }

  get multiProcess(): boolean {
    return this.options.multiProcess ?? this.options.connect !== undefined;
  }

  /** Lease length that a dead holder is detected within, for the dead-holder cases. */
  get deadHolderTtlMs(): number {
    return this.options.detectsDeadPids ? 60_000 : 1_000;
  }

  async cleanup(): Promise<void> {
    await this.pool.disposeAll();
    for (const b of this.backends) await b[Symbol.asyncDispose]();
    this.backends.clear();
  }
}

/** Asserts that `promise` rejects with an agentmux error of `code` (and returns it). */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a rejection with ${code}`).toBeDefined();
  expect((caught as { code?: string }).code).toBe(code);
  return caught as Record<string, unknown>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export const CODES = {
  timeout: 'AGENTMUX_TIMEOUT',
  invalid: 'AGENTMUX_INVALID_ARGUMENT',
  notFound: 'AGENTMUX_NOT_FOUND',
  leaseLost: 'AGENTMUX_LEASE_LOST',
  barrierBroken: 'AGENTMUX_BARRIER_BROKEN',
  unavailable: 'AGENTMUX_COORDINATION_UNAVAILABLE',
} as const;

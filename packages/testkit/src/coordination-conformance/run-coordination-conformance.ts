import { afterEach, describe, expect, it } from 'vitest';
import type { CoordinationBackendV1 } from '@agentmux/core';
import { activityCases } from './activity-cases.js';
import { barrierCases } from './barrier-cases.js';
import { boardCases } from './board-cases.js';
import { delivererCases } from './deliverer-cases.js';
import { inboxCases } from './inbox-cases.js';
import { lockCases } from './lock-cases.js';
import { SuiteContext, type CoordinationConformanceOptions } from './suite-context.js';

/**
 * Registers the coordination conformance suite (vitest) for one backend. `makeBackend` must return a
 * backend on FRESH, empty state each call. Pass `connect` so the suite can open the same state from forked
 * processes and after a restart; the multi-process cases are skipped without it.
 */
export function runCoordinationConformance(
  name: string,
  makeBackend: () => Promise<CoordinationBackendV1>,
  options: CoordinationConformanceOptions = {},
): void {
  describe(`coordination conformance: ${name}`, () => {
    const s = new SuiteContext(makeBackend, options);
    afterEach(async () => {
      await s.cleanup();
    });

    it('reports spec version v1 on every part', async () => {
      const b = await s.make();
      expect(b.specificationVersion).toBe('v1');
      expect(typeof b.id).toBe('string');
      for (const part of [b.locks, b.barriers, b.board, b.inboxes, b.activity]) expect(part.specificationVersion).toBe('v1');
    });

    lockCases(s);
    barrierCases(s);
    boardCases(s);
    inboxCases(s);
    activityCases(s);
    delivererCases(s);
  });
}

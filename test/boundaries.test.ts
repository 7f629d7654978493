import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findBoundaryViolations } from '../scripts/check-boundaries.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

describe('core boundary', () => {
  it('packages/core/src imports no provider, infra, cli or testkit package', () => {
    expect(findBoundaryViolations(here('../packages/core/src'))).toEqual([]);
  });

  it('fails on a core file that imports a provider', () => {
    const violations = findBoundaryViolations(here('./__fixtures__/bad-core/src'));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ specifier: '@agentmux/provider-claude', line: 2 });
    expect(violations[0]?.file).toMatch(/uses-provider\.ts$/);
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as engine from './cost-engine.js';
import * as core from './index.js';

const src = dirname(fileURLToPath(import.meta.url));

/** Every module `entry` loads at run time (type-only imports left out), by relative path, and the packages they import. */
function runtimeGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (modules.has(file)) return;
    modules.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1] as string;
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(join(src, entry));
  return { modules, packages };
}

describe('@agentmux/core/cost-engine', () => {
  it('loads no package at run time (no zod, no execa, no eventemitter3)', () => {
    const { modules, packages } = runtimeGraph('cost-engine.ts');
    expect([...packages]).toEqual([]);
    expect(modules.size).toBeGreaterThan(8);
    // The walker does see a package import where there is one.
    expect([...runtimeGraph('spec/usage.ts').packages]).toEqual(['zod']);
  });

  it('exports the same functions as the main entry', () => {
    for (const [name, value] of Object.entries(engine)) expect(core[name as keyof typeof core], name).toBe(value);
  });
});

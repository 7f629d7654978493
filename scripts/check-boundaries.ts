import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A forbidden import found in core. */
export interface BoundaryViolation {
  file: string;
  line: number;
  specifier: string;
}

const FORBIDDEN = /^@agentmux\/(provider-|infra-|cli$|cli\/|testkit$|testkit\/|coordination-)/;
const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === '__fixtures__') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|mts|js|mjs)$/.test(entry) && !/\.test\.(ts|js)$/.test(entry)) yield full;
  }
}

/**
 * Lists imports of provider, infra, coordination-backend, CLI or testkit packages from core's sources
 * (tests excluded: they may use the testkit).
 */
export function findBoundaryViolations(coreSrcDir: string): BoundaryViolation[] {
  const out: BoundaryViolation[] = [];
  for (const file of sourceFiles(coreSrcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const specifier = m[1] ?? m[2] ?? m[3] ?? '';
      if (FORBIDDEN.test(specifier)) {
        const line = text.slice(0, m.index).split('\n').length;
        out.push({ file: relative(process.cwd(), file), line, specifier });
      }
    }
  }
  return out;
}

import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type * as TypeScript from 'typescript';

type Ts = typeof TypeScript;

/**
 * Transpiles a TypeScript module of `packageRoot/src` and everything it imports relatively into `outDir`
 * (same layout relative to `src`, `.js` files), and links `outDir/node_modules` to the package's `node_modules`, so a plain, fast-starting
 * `node` child can import `<outDir>/<entry>.js` without a loader. Used by fault tests that start hundreds
 * of short-lived processes. Returns the path of the transpiled entry.
 */
export function transpileTree(entry: string, outDir: string, packageRoot: string): string {
  const require = createRequire(join(packageRoot, 'package.json'));
  const ts = require('typescript') as Ts;
  const srcRoot = join(packageRoot, 'src');
  const seen = new Set<string>();
  const queue = [resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const out = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    const target = join(outDir, relative(srcRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out);
    for (const match of out.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      const spec = match[1];
      if (spec === undefined) continue;
      const ts2 = resolve(dirname(file), `${spec}.ts`);
      if (existsSync(ts2)) queue.push(ts2);
    }
  }
  const nm = join(outDir, 'node_modules');
  if (!existsSync(nm)) symlinkSync(join(packageRoot, 'node_modules'), nm, 'dir');
  return join(outDir, relative(srcRoot, entry)).replace(/\.ts$/, '.js');
}

// Node module hooks that let a plain `node` child process import the monorepo's TypeScript sources:
// `@agentmux/<pkg>` maps to packages/<pkg>/src/index.ts, `./x.js` imported from a .ts file maps to `./x.ts`,
// and .ts files are transpiled with the repo's `typescript` (output cached in the temp dir by content hash).
// Used by the coordination conformance suite, fault tests and the pipeline example's smoke test.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolvePath(fileURLToPath(new URL('../../../../', import.meta.url)));
const cacheDir = join(tmpdir(), 'agentmux-ts-cache');
let ts;

export async function resolve(specifier, context, next) {
  const pkg = /^@agentmux\/([a-z0-9-]+)$/.exec(specifier);
  if (pkg) {
    const path = join(repoRoot, 'packages', pkg[1], 'src', 'index.ts');
    if (existsSync(path)) return { url: pathToFileURL(path).href, format: 'module', shortCircuit: true };
  }
  const parent = context.parentURL ?? '';
  if (parent.endsWith('.ts') && /^\.\.?\//.test(specifier) && specifier.endsWith('.js')) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, parent);
    if (existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const key = createHash('sha1').update(path).update('\0').update(source).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  let output;
  try {
    output = readFileSync(cached, 'utf8');
  } catch {
    ts ??= createRequire(join(repoRoot, 'package.json'))('typescript');
    output = ts.transpileModule(source, {
      fileName: path,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        inlineSourceMap: true,
      },
    }).outputText;
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, output);
    renameSync(tmp, cached);
  }
  return { format: 'module', source: output, shortCircuit: true };
}

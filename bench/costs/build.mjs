// Builds what the cost benchmark runs, like a release build of the CLI: one esbuild bundle (with splitting) of
// the CLI, every @agentmux package and their dependencies (only the native node-pty stays external), plus
// `usage-scan.js` and `usage-scan-compact.js`, the lean modules the Claude scan workers import, and `lib.js` for the benchmark itself.
// Output: packages/core/.bench-data/cli/ (gitignored; inside packages/core so that node-pty resolves).
// Usage: node bench/costs/build.mjs   (run.mjs calls it)
import { copyFileSync, existsSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
export const outDir = join(repo, 'packages/core/.bench-data/cli');
const esbuild = createRequire(realpathSync(join(repo, 'node_modules/tsup/package.json')))('esbuild');

const workspace = {
  name: 'agentmux-workspace-sources',
  setup(build) {
    build.onResolve({ filter: /^@agentmux\/[a-z0-9-]+$/ }, (args) => ({ path: join(repo, 'packages', args.path.slice('@agentmux/'.length), 'src/index.ts') }));
    // Lean entries (`@agentmux/core/cost-engine`, `@agentmux/provider-claude/listing`, …) → src/<entry>.ts.
    build.onResolve({ filter: /^@agentmux\/[a-z0-9-]+\/[a-z0-9-]+$/ }, (args) => {
      const [pkg, entry] = args.path.slice('@agentmux/'.length).split('/');
      return { path: join(repo, 'packages', pkg, 'src', `${entry}.ts`) };
    });
  },
};

/** Builds the bundle; resolves to the paths of the CLI binary and the benchmark library. */
export async function buildBenchBundles() {
  rmSync(outDir, { recursive: true, force: true }); // chunk names change with every build: no stale chunks
  await esbuild.build({
    entryPoints: {
      bin: join(repo, 'packages/cli/src/bin.ts'),
      'usage-scan': join(repo, 'packages/provider-claude/src/usage-scan.ts'),
      'usage-scan-compact': join(repo, 'packages/provider-claude/src/usage-scan-compact.ts'),
      lib: join(repo, 'bench/costs/lib.ts'),
    },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['node-pty'],
    // Bundled CommonJS dependencies (cross-spawn, …) call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __amxCreateRequire } from 'node:module'; const require = __amxCreateRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins: [workspace],
  });
  // The native Claude scan (when built) goes next to the bundle, where `usage-scan-native.ts` also looks for it.
  const addon = join(repo, 'packages/provider-claude/native/build/Release/claude_usage_scan.node');
  if (existsSync(addon)) copyFileSync(addon, join(outDir, 'claude_usage_scan.node'));
  else console.warn(`bench: ${addon} is not built: agentmux runs the TypeScript scan (see packages/provider-claude/README.md)`);
  return { bin: join(outDir, 'bin.js'), lib: join(outDir, 'lib.js'), usageScan: join(outDir, 'usage-scan.js') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildBenchBundles());
}

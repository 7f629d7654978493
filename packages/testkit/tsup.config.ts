import { defineConfig, type Options } from 'tsup';

// test/global-setup.ts builds only the CLIs (fakes + corpus), into a temp dir that it swaps in as dist/cli,
// so running fakes never see a half-written build.
const outDir = process.env.AGENTMUX_TESTKIT_OUT_DIR ?? 'dist';
const cliOnly = process.env.AGENTMUX_TESTKIT_CLI_ONLY === '1';

const library: Options = {
  entry: ['src/index.ts'],
  outDir,
  format: ['esm'],
  // The coordination conformance suite (src/coordination-conformance) uses vitest and core at runtime.
  external: ['@agentmux/core', 'vitest'],
  dts: { compilerOptions: { rootDir: '..', paths: { '@agentmux/core': ['../core/src/index.ts'] } } },
  clean: false,
  sourcemap: true,
  target: 'node20',
};

const clis: Options = {
  // The fake CLIs and the corpus CLI: Node built-ins only, bundled, no declarations.
  entry: {
    'fakes/claude': 'src/fakes/claude.ts',
    'fakes/codex': 'src/fakes/codex.ts',
    'fakes/gemini': 'src/fakes/gemini.ts',
    'corpus-cli': 'src/corpus/corpus-cli.ts',
  },
  outDir: cliOnly ? outDir : `${outDir}/cli`,
  format: ['esm'],
  dts: false,
  clean: false,
  sourcemap: true,
  // Self-contained files: a rebuild swapping dist/cli never leaves a running fake with missing chunks.
  splitting: false,
  target: 'node20',
  platform: 'node',
};

export default defineConfig(cliOnly ? [clis] : [library, clis]);

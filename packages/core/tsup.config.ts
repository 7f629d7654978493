import { defineConfig } from 'tsup';

export default defineConfig({
  // cost-engine: the lean entry `@agentmux/core/cost-engine` (no zod, no execa) for one-shot cost reports.
  entry: ['src/index.ts', 'src/cost-engine.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});

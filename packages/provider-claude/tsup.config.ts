import { defineConfig } from 'tsup';

export default defineConfig({
  // usage-scan(-compact) are their own entries so worker threads can import them (see `claudeUsageScanModule`).
  entry: ['src/index.ts', 'src/usage-scan.ts', 'src/usage-scan-compact.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // usage-scan is its own entry so worker threads can import `dist/usage-scan.js` (see `claudeUsageScanModule`).
  entry: ['src/index.ts', 'src/usage-scan.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // usage-scan(-compact) are their own entries so worker threads can import them (see `claudeUsageScanModule`).
  // listing and cost-scan: lean entries for `agentmux costs` (no zod, no execa).
  entry: ['src/index.ts', 'src/usage-scan.ts', 'src/usage-scan-compact.ts', 'src/listing.ts', 'src/cost-scan.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});

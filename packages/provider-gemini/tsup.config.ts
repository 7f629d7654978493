import { defineConfig } from 'tsup';

export default defineConfig({
  // listing: the lean entry for `agentmux costs` (no execa; zod only when a file needs it).
  entry: ['src/index.ts', 'src/listing.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});

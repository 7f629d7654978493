import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // `@agentmux/<pkg>` → its src/index.ts; `@agentmux/<pkg>/<entry>` (lean entries such as core/cost-engine) →
    // src/<entry>.ts.
    alias: [
      { find: /^@agentmux\/([a-z0-9-]+)$/, replacement: fileURLToPath(new URL('./packages/$1/src/index.ts', import.meta.url)) },
      { find: /^@agentmux\/([a-z0-9-]+)\/([a-z0-9-]+)$/, replacement: fileURLToPath(new URL('./packages/$1/src/$2.ts', import.meta.url)) },
    ],
  },
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

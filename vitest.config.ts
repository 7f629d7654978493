import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@agentmux/core': pkg('core'),
      '@agentmux/testkit': pkg('testkit'),
      '@agentmux/provider-claude': pkg('provider-claude'),
      '@agentmux/provider-codex': pkg('provider-codex'),
      '@agentmux/provider-gemini': pkg('provider-gemini'),
      '@agentmux/cli': pkg('cli'),
      '@agentmux/coordination-redis': pkg('coordination-redis'),
    },
  },
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

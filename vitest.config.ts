import { defineConfig } from 'vitest/config';

// Each workspace package is its own vitest project; `npm test` at the root runs them all.
export default defineConfig({
  test: {
    projects: ['packages/*', 'subgraphs/*', 'router', 'e2e'],
    globalSetup: ['./vitest.global-setup.ts'],
  },
});

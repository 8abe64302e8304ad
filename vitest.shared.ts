import { defineProject } from 'vitest/config';

/**
 * The settings every package's vitest project shares: resolve workspace packages to their
 * TypeScript sources (the `source` export condition) and fail a test on an unexpected console.error.
 */
export function defineWorkspaceProject(name: string, overrides: { testTimeout?: number } = {}) {
  return defineProject({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
      testTimeout: overrides.testTimeout ?? 20_000,
      hookTimeout: 60_000,
      env: { LOG_LEVEL: 'silent' },
    },
  });
}

import { createRequire } from 'node:module';
import { defineProject } from 'vitest/config';

// graphql 16 ships CJS and ESM builds without an exports map: Node loads the CJS one for every
// importer, but Vite would hand our sources the ESM one, and two copies of graphql break its
// instanceof checks. Point tests at the build Node uses.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

/**
 * The settings every package's vitest project shares: resolve workspace packages to their
 * TypeScript sources (the `source` export condition) and fail a test on an unexpected console.error or console.warn.
 */
export function defineWorkspaceProject(
  name: string,
  overrides: { testTimeout?: number; hookTimeout?: number; fileParallelism?: boolean } = {},
) {
  return defineProject({
    resolve: { conditions: ['source'], alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
      testTimeout: overrides.testTimeout ?? 20_000,
      fileParallelism: overrides.fileParallelism ?? true,
      hookTimeout: overrides.hookTimeout ?? 60_000,
      env: { LOG_LEVEL: 'silent' },
    },
  });
}

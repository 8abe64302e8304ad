import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SEED_OPTIONS, type SeedOptions } from '@supergraph/demo-data';
import { createLogger, createMetrics } from '@supergraph/server-kit';
import { expect } from 'vitest';
import { createContextFactory } from '../src/context.js';
import { openProductsDatabase } from '../src/db/client.js';
import { seedCatalog } from '../src/db/seed.js';
import { createProductsService } from '../src/server.js';

export interface ExecuteResult {
  data?: Record<string, any> | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * A products subgraph on its own freshly migrated and seeded SQLite file, with a count of the SQL
 * statements it runs. Operations go through Apollo Server's executeOperation, as the router's
 * would over HTTP.
 */
export async function createProductsHarness(seed: Partial<SeedOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'products-test-'));
  let statementCount = 0;
  const database = openProductsDatabase(join(dir, 'products.sqlite'), { onStatement: () => statementCount++ });
  database.migrate();
  await seedCatalog(database.db, { ...DEFAULT_SEED_OPTIONS, ...seed });
  const logger = createLogger({ service: 'products', level: 'silent' });
  const service = await createProductsService({ database, logger, metrics: createMetrics('products'), isProduction: false });
  const createContext = createContextFactory(database.db);

  return {
    db: database.db,
    /** Runs one operation and returns its single result. */
    async execute(query: string, variables: Record<string, unknown> = {}): Promise<ExecuteResult> {
      const response = await service.apollo.executeOperation(
        { query, variables },
        { contextValue: await createContext({ logger, requestId: 'test' }) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as ExecuteResult;
    },
    /** SQL statements run by `run`. */
    async countStatements(run: () => Promise<unknown>): Promise<number> {
      const before = statementCount;
      await run();
      return statementCount - before;
    },
    async close() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ProductsHarness = Awaited<ReturnType<typeof createProductsHarness>>;

/** The data of a result that must have no errors. */
export function dataOf(result: ExecuteResult): Record<string, any> {
  expect(result.errors).toBeUndefined();
  return result.data ?? {};
}

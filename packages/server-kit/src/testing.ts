import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseContext } from '@apollo/server';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';
import type { GraphQLService } from './service.js';

export interface ExecuteResult {
  // `any`: tests walk response shapes the compiler cannot know.
  data?: Record<string, any> | null;
  errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

interface HarnessDatabase<TDb> {
  db: TDb;
  migrate(): void;
}

export interface SubgraphHarnessOptions<TDb, TDatabase extends HarnessDatabase<TDb>, TContext extends BaseContext> {
  service: string;
  openDatabase(file: string, options: { onStatement: () => void }): TDatabase;
  seed(db: TDb): Promise<void>;
  createService(options: { database: TDatabase; logger: Logger; metrics: ServiceMetrics; isProduction: boolean }): Promise<GraphQLService>;
  createContext(db: TDb): (args: { logger: Logger; requestId: string }) => Promise<TContext>;
}

/**
 * A subgraph on its own freshly migrated and seeded SQLite file in a temporary directory, with a
 * count of the SQL statements it runs. Operations go through Apollo Server's executeOperation,
 * the same pipeline an HTTP request from the router takes after parsing.
 */
export async function createSubgraphHarness<TDb, TDatabase extends HarnessDatabase<TDb>, TContext extends BaseContext>(
  options: SubgraphHarnessOptions<TDb, TDatabase, TContext>,
) {
  const dir = mkdtempSync(join(tmpdir(), `${options.service}-test-`));
  let statementCount = 0;
  const database = options.openDatabase(join(dir, `${options.service}.sqlite`), { onStatement: () => statementCount++ });
  database.migrate();
  await options.seed(database.db);
  const logger = createLogger({ service: options.service, level: 'silent' });
  const service = await options.createService({ database, logger, metrics: createMetrics(options.service), isProduction: false });
  const createContext = options.createContext(database.db);

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
    /** How many SQL statements `run` executed. */
    async countStatements(run: () => Promise<unknown>): Promise<number> {
      const before = statementCount;
      await run();
      return statementCount - before;
    },
    async close(): Promise<void> {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The data of a result, after checking it has no errors (the errors show in the failure). */
export function dataOf(result: ExecuteResult): NonNullable<ExecuteResult['data']> {
  if (result.errors?.length) throw new Error(`expected no errors, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.data ?? {};
}

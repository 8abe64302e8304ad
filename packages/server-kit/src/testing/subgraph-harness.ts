import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseContext } from '@apollo/server';
import pg from 'pg';
import { inject } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import type { Viewer } from '@supergraph/contracts/identity';
import { createAccessTokenIssuer, createAccessTokenVerifier, type AccessTokenVerifier } from '../auth/access-tokens.js';
import type { DatabaseLocation, Dialect, ServiceDatabase } from '../db/database.js';
import type { StatementListener } from '../db/sql-telemetry.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import { createMetrics, type ServiceMetrics } from '../telemetry/metrics.js';
import type { GraphQLService } from '../http/graphql-service.js';
import { recordStatementsIn } from '../http/subgraph-service.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the root global setup when the Postgres pass runs; null when it is skipped. */
    postgresAdminUrl: string | null;
  }
}

/** The dialects this test run covers: SQLite always, Postgres when a server was found (always in CI). */
export function testDialects(): Dialect[] {
  return inject('postgresAdminUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A throwaway place for one service's data: a temp SQLite file, or a uniquely named Postgres database. */
export interface ScratchDatabase {
  location: DatabaseLocation;
  drop(): Promise<void>;
}

export async function createScratchDatabase(service: string, dialect: Dialect): Promise<ScratchDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `${service}-test-`));
    return {
      location: { dialect, file: join(dir, `${service}.sqlite`) },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = inject('postgresAdminUrl');
  if (!adminUrl) throw new Error('the Postgres pass is off in this run (see the test run header)');
  // Unique per call, so parallel workers and reruns never collide.
  const name = `test_${service}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    location: { dialect, url: url.toString(), variable: `${service.toUpperCase()}_DATABASE_URL` },
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface ExecuteResult {
  // `any`: tests walk response shapes the compiler cannot know.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: Record<string, any> | null;
  errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface SubgraphHarnessOptions<TTables extends Record<string, unknown>, TContext extends BaseContext> {
  service: string;
  dialect: Dialect;
  openDatabase(location: DatabaseLocation, options: { onStatement: StatementListener }): Promise<ServiceDatabase<TTables>>;
  seed(database: ServiceDatabase<TTables>): Promise<void>;
  createService(options: {
    database: ServiceDatabase<TTables>;
    logger: Logger;
    metrics: ServiceMetrics;
    isProduction: boolean;
    routerSecret: string;
    verifyAccessToken: AccessTokenVerifier;
  }): Promise<GraphQLService>;
  createContext(
    database: ServiceDatabase<TTables>,
  ): (args: { logger: Logger; requestId: string; viewer: Viewer | null }) => Promise<TContext>;
}

/**
 * A subgraph on its own freshly migrated and seeded database (SQLite file or Postgres database),
 * with a count of the SQL statements it runs. Operations go through Apollo Server's
 * executeOperation, the pipeline an HTTP request from the router takes after parsing.
 */
export async function createSubgraphHarness<TTables extends Record<string, unknown>, TContext extends BaseContext>(
  options: SubgraphHarnessOptions<TTables, TContext>,
) {
  const scratch = await createScratchDatabase(options.service, options.dialect);
  let statementCount = 0;
  const metrics = createMetrics(options.service, { database: true });
  const recordStatement = recordStatementsIn(metrics);
  const database = await options.openDatabase(scratch.location, {
    onStatement: (statement) => {
      statementCount++;
      recordStatement(statement);
    },
  });
  await database.migrate();
  await options.seed(database);
  const logger = createLogger({ service: options.service, level: 'silent' });
  const keys = createTestKeys();
  const service = await options.createService({
    database,
    logger,
    metrics,
    isProduction: false,
    routerSecret: 'test-router-secret',
    verifyAccessToken: keys.verify,
  });
  const createContext = options.createContext(database);

  return {
    database,
    /** The service itself, to listen on a port for tests over HTTP (the router secret is `test-router-secret`). */
    service,
    /** Runs one operation, anonymously or as `viewer`, and returns its single result. */
    async execute(
      query: string,
      variables: Record<string, unknown> = {},
      as: { viewer?: Viewer | null } = {},
    ): Promise<ExecuteResult> {
      const response = await service.apollo.executeOperation(
        { query, variables },
        { contextValue: await createContext({ logger, requestId: 'test', viewer: as.viewer ?? null }) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult;
    },
    /** How many SQL statements `run` executed. */
    async countStatements(run: () => Promise<unknown>): Promise<number> {
      const before = statementCount;
      await run();
      return statementCount - before;
    },
    async close(): Promise<void> {
      await service.close();
      await scratch.drop();
    },
  };
}

/** A fresh P-256 key pair with a token issuer and verifier on it, for tests. */
export function createTestKeys(claims: { issuer?: string; audience?: string } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const issuer = claims.issuer ?? 'supergraph-users';
  const audience = claims.audience ?? 'supergraph';
  return {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    issue: createAccessTokenIssuer({ privateKey, issuer, audience, ttlSeconds: 900 }),
    verify: createAccessTokenVerifier({ publicKey, issuer, audience }),
  };
}

/** The data of a result, after checking it has no errors (the errors show in the failure). */
export function dataOf(result: ExecuteResult): NonNullable<ExecuteResult['data']> {
  if (result.errors?.length) throw new Error(`expected no errors, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.data ?? {};
}

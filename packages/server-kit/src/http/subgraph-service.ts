import type { Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { BaseContext } from '@apollo/server';
import { createVerifierFromSettings } from '../auth/access-keys.js';
import { type AccessTokenVerifier } from '../auth/access-tokens.js';
import { authenticateRequests, requireRouterSecret } from '../auth/request-guards.js';
import { openOrExit, type DatabaseLocation, type ServiceDatabase } from '../db/database.js';
import type { StatementListener } from '../db/sql-telemetry.js';
import type { AccessTokenSettings, ServerTimeouts } from '../settings/settings.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import { createMetrics, type ServiceMetrics } from '../telemetry/metrics.js';
import { createGraphQLService, type ContextArgs, type GraphQLService } from './graphql-service.js';
import { runService } from './run-service.js';

/** What every subgraph's service factory takes; each adds its own options. */
export interface SubgraphServiceOptions<TDatabase> {
  database: TDatabase;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Production mode: no introspection, no Sandbox, no stack traces. */
  isProduction: boolean;
  /** What the router must present in x-router-secret; anything else is refused before GraphQL runs. */
  routerSecret: string;
  /** Verifies the access token the router forwards; the viewer comes from it alone. */
  verifyAccessToken: AccessTokenVerifier;
}

/**
 * A subgraph's HTTP server: GraphQL answers only the router (its secret) and takes identity only from
 * the verified token; /ready follows the database; the database closes after the server drains.
 */
export function createSubgraphService<TContext extends BaseContext>(
  options: SubgraphServiceOptions<ServiceDatabase<Record<string, unknown>>> & {
    name: string;
    schema: GraphQLSchema;
    context: (args: ContextArgs) => Promise<TContext>;
    /** Extra HTTP routes beside /graphql (the products inventory API). Default none. */
    routes?: Router;
    /** Runs after the server has drained and before the database closes. Default nothing. */
    onShutdown?: () => void | Promise<void>;
  },
): Promise<GraphQLService> {
  const { database, routerSecret, verifyAccessToken, schema, onShutdown, ...rest } = options;
  return createGraphQLService<TContext>({
    ...rest,
    graphql: { schema },
    graphqlMiddleware: [requireRouterSecret(routerSecret), authenticateRequests(verifyAccessToken)],
    isReady: () => database.isReachable(),
    onShutdown: async () => {
      await onShutdown?.();
      await database.close();
    },
  });
}

/** Counts and times each SQL statement in db_statements_total and db_statement_duration_seconds{operation}. */
export function recordStatementsIn(metrics: Pick<ServiceMetrics, 'dbStatements' | 'dbStatementDuration'>): StatementListener {
  return ({ operation, seconds }) => {
    metrics.dbStatements.inc();
    metrics.dbStatementDuration.observe({ operation }, seconds);
  };
}

/** The settings runSubgraph needs, as subgraphSettingsSchema parses them. */
interface RunnableSubgraphSettings {
  logLevel: Parameters<typeof createLogger>[0]['level'];
  isProduction: boolean;
  http: { host: string; port: number; timeouts?: ServerTimeouts };
  database: DatabaseLocation;
  routerSecret: string;
  accessTokens: AccessTokenSettings;
}

/**
 * A subgraph's index.ts in one call: logger, metrics, the database (stopping with a message naming
 * the setting when it cannot be reached), the service, then listen until SIGTERM.
 */
export async function runSubgraph<TDatabase extends ServiceDatabase<Record<string, unknown>>>({
  name,
  settings,
  openDatabase,
  createService,
}: {
  name: string;
  settings: RunnableSubgraphSettings;
  openDatabase: (location: DatabaseLocation, options: { onStatement: StatementListener; logger: Logger }) => Promise<TDatabase>;
  createService: (options: SubgraphServiceOptions<TDatabase>) => Promise<GraphQLService>;
}): Promise<void> {
  const logger = createLogger({ service: name, level: settings.logLevel });
  const metrics = createMetrics(name, { database: true });
  const database = await openOrExit(
    () => openDatabase(settings.database, { onStatement: recordStatementsIn(metrics), logger }),
    logger,
  );
  const service = await createService({
    database,
    logger,
    metrics,
    isProduction: settings.isProduction,
    routerSecret: settings.routerSecret,
    verifyAccessToken: createVerifierFromSettings(settings.accessTokens),
  });
  await runService(service, { ...settings.http, logger });
}

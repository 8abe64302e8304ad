import {
  authenticateRequests,
  createGraphQLService,
  requireRouterSecret,
  type AccessTokenIssuer,
  type AccessTokenVerifier,
  type GraphQLService,
  type Logger,
  type ServiceMetrics,
} from '@supergraph/server-kit';
import { createAccountService } from './accounts/account-service.js';
import { createContextFactory } from './context.js';
import type { UsersDatabase } from './db/client.js';
import { buildSchema } from './schema.js';

export interface UsersServiceOptions {
  database: UsersDatabase;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Production mode: no introspection, no Sandbox, no stack traces. */
  isProduction: boolean;
  /** What the router must present in x-router-secret; anything else is refused before GraphQL runs. */
  routerSecret: string;
  /** Verifies the access token the router forwards; the viewer comes from it alone. */
  verifyAccessToken: AccessTokenVerifier;
  /** Signs access tokens for signed-in users (this service alone holds the private key). */
  issueAccessToken: AccessTokenIssuer;
  /** How long a session lasts, however often its refresh token is traded. */
  sessionTtlMs: number;
}

/** The users subgraph's HTTP server, ready to listen; used by index.ts and by tests. */
export function createUsersService({
  database,
  routerSecret,
  verifyAccessToken,
  issueAccessToken,
  sessionTtlMs,
  ...options
}: UsersServiceOptions): Promise<GraphQLService> {
  const accounts = createAccountService({ database, issueAccessToken, sessionTtlMs });
  return createGraphQLService({
    name: 'users',
    ...options,
    graphql: { schema: buildSchema() },
    graphqlMiddleware: [requireRouterSecret(routerSecret), authenticateRequests(verifyAccessToken)],
    context: createContextFactory(database, accounts),
    isReady: () => database.isReachable(),
    onShutdown: () => database.close(),
  });
}

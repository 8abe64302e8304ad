import type { AccessTokenIssuer } from '@supergraph/server-kit/auth';
import { createSubgraphService, type GraphQLService, type SubgraphServiceOptions } from '@supergraph/server-kit/http';
import { AccountService } from './accounts/account-service.js';
import { createAccountThrottle, DEFAULT_THROTTLING, type ThrottlingSettings } from './accounts/throttling.js';
import { createContextFactory } from './context.js';
import type { UsersDatabase } from './db/client.js';
import { buildSchema } from './schema.js';

export interface UsersServiceOptions extends SubgraphServiceOptions<UsersDatabase> {
  /** Signs access tokens for signed-in users (this service alone holds the private key). */
  issueAccessToken: AccessTokenIssuer;
  /** How long a session lasts, however often its refresh token is traded. */
  sessionTtlMs: number;
  /** Login and registration throttling (AUTH_RATE_LIMIT_PER_MINUTE, ...). Default DEFAULT_THROTTLING. */
  throttling?: ThrottlingSettings;
  /** Epoch milliseconds for the throttling buckets; tests pass their own. Default Date.now. */
  clock?: () => number;
}

/** The users subgraph's HTTP server, ready to listen; used by index.ts and by tests. */
export function createUsersService({
  issueAccessToken,
  sessionTtlMs,
  throttling = DEFAULT_THROTTLING,
  clock,
  ...options
}: UsersServiceOptions): Promise<GraphQLService> {
  const accounts = new AccountService({ database: options.database, issueAccessToken, sessionTtlMs });
  const throttle = createAccountThrottle({ settings: throttling, logger: options.logger, clock });
  return createSubgraphService({
    name: 'users',
    ...options,
    schema: buildSchema(),
    context: createContextFactory(options.database, accounts, throttle),
    onShutdown: () => throttle.close(),
  });
}

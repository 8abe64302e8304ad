import type { ContextArgs } from '@supergraph/server-kit/http';
import { requestScopeOf, type RequestScope } from '@supergraph/server-kit/http';
import { clientAddressOf } from '@supergraph/server-kit/rate-limit';
import type { AccountService } from './accounts/account-service.js';
import type { AccountThrottle, ClientAddress } from './accounts/throttling.js';
import type { UsersDatabase } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';

/** A resolver's context: the request's scope (id, logger, viewer) and this service's parts. */
export interface Context extends RequestScope {
  /** Reads go straight to `db`; writes go through `db.transaction()`. */
  db: UsersDatabase;
  loaders: Loaders;
  accounts: AccountService;
  /** Limits account mutations per client address and per account (accounts/throttling.ts). */
  throttle: AccountThrottle;
  /** The client's address, as the router forwarded it (x-client-address), else the caller's own. */
  client: ClientAddress;
}

/**
 * The context factory. `req` is there for HTTP requests, which requireRouterSecret has let through,
 * so their x-client-address comes from the router; executeOperation in tests has none.
 */
export function createContextFactory(db: UsersDatabase, accounts: AccountService, throttle: AccountThrottle) {
  return async (args: RequestScope & Partial<Pick<ContextArgs, 'req'>>): Promise<Context> => ({
    ...requestScopeOf(args),
    db,
    loaders: createLoaders(db),
    accounts,
    throttle,
    client: args.req ? clientAddressOf(args.req) : { address: 'unknown', isForwarded: false },
  });
}

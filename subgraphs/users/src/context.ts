import { requestScopeOf, type RequestScope } from '@supergraph/server-kit/http';
import type { AccountService } from './accounts/account-service.js';
import type { UsersDatabase } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';

/** A resolver's context: the request's scope (id, logger, viewer) and this service's parts. */
export interface Context extends RequestScope {
  /** Reads go straight to `db`; writes go through `db.transaction()`. */
  db: UsersDatabase;
  loaders: Loaders;
  accounts: AccountService;
}

export function createContextFactory(db: UsersDatabase, accounts: AccountService) {
  return async (args: RequestScope): Promise<Context> => ({ ...requestScopeOf(args), db, loaders: createLoaders(db), accounts });
}

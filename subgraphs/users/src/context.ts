import type { Viewer } from '@supergraph/server-kit/auth';
import type { ContextArgs } from '@supergraph/server-kit/http';
import type { Logger } from '@supergraph/server-kit/telemetry';
import type { AccountService } from './accounts/account-service.js';
import type { UsersDatabase } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context {
  /** Reads go straight to `db`; writes go through `db.transaction()`. */
  db: UsersDatabase;
  loaders: Loaders;
  accounts: AccountService;
  logger: Logger;
  requestId: string;
  /** Who is calling, from the verified access token; null for anonymous calls. */
  viewer: Viewer | null;
}

export function createContextFactory(db: UsersDatabase, accounts: AccountService) {
  return async ({ logger, requestId, viewer }: Pick<ContextArgs, 'logger' | 'requestId' | 'viewer'>): Promise<Context> => ({
    db,
    loaders: createLoaders(db),
    accounts,
    logger,
    requestId,
    viewer,
  });
}

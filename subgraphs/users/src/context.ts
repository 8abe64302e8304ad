import type { ContextArgs, Logger } from '@supergraph/server-kit';
import type { UsersDb } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context {
  db: UsersDb;
  loaders: Loaders;
  logger: Logger;
  requestId: string;
}

export function createContextFactory(db: UsersDb) {
  return async ({ logger, requestId }: Pick<ContextArgs, 'logger' | 'requestId'>): Promise<Context> => ({
    db,
    loaders: createLoaders(db),
    logger,
    requestId,
  });
}

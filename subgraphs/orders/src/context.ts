import type { ContextArgs, Logger, Viewer } from '@supergraph/server-kit';
import type { OrdersDb } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context {
  db: OrdersDb;
  loaders: Loaders;
  logger: Logger;
  requestId: string;
  /** Who is calling, from the verified access token; null for anonymous calls. */
  viewer: Viewer | null;
}

export function createContextFactory(db: OrdersDb) {
  return async ({ logger, requestId, viewer }: Pick<ContextArgs, 'logger' | 'requestId' | 'viewer'>): Promise<Context> => ({
    db,
    loaders: createLoaders(db),
    logger,
    requestId,
    viewer,
  });
}

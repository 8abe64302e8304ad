import { requestScopeOf, type RequestScope } from '@supergraph/server-kit/http';
import type { ProductsDatabase } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';

/** A resolver's context: the request's scope (id, logger, viewer) and this service's parts. */
export interface Context extends RequestScope {
  /** Reads go straight to `db`; writes go through `db.transaction()`. */
  db: ProductsDatabase;
  loaders: Loaders;
}

export function createContextFactory(db: ProductsDatabase) {
  return async (args: RequestScope): Promise<Context> => ({ ...requestScopeOf(args), db, loaders: createLoaders(db) });
}

import { requestScopeOf, type RequestScope } from '@supergraph/server-kit/http';
import type { CheckoutService } from './checkout/checkout.js';
import type { OrdersDatabase } from './db/client.js';
import { createLoaders, type Loaders } from './loaders.js';

/** A resolver's context: the request's scope (id, logger, viewer) and this service's parts. */
export interface Context extends RequestScope {
  /** Reads go straight to `db`; writes go through `db.transaction()`. */
  db: OrdersDatabase;
  loaders: Loaders;
  /** createOrder and cancelOrder: the checkout saga. */
  checkout: CheckoutService;
}

export function createContextFactory(db: OrdersDatabase, checkout: CheckoutService) {
  return async (args: RequestScope): Promise<Context> => ({ ...requestScopeOf(args), db, loaders: createLoaders(db), checkout });
}

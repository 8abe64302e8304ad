import type { SagaDependencies } from '../dependencies.js';
import type { Saga } from '../saga-record.js';
import { toInventoryFailure, type ReserveOutcome } from '../step-outcomes.js';
import { isPastDeadline } from '../transition.js';

/** RESERVING: holds the order's stock in products (idempotent per order id), at catalog prices. */
export async function runReserve(deps: SagaDependencies, saga: Saga): Promise<ReserveOutcome> {
  const step = 'RESERVING';
  if (isPastDeadline(saga, deps.now(), deps.timing)) return { step, kind: 'past-deadline' };
  const result = await deps.inventory.reserve({
    orderId: saga.orderId,
    items: saga.items.map(({ productId, quantity }) => ({ productId, quantity })),
    ttlSeconds: deps.timing.reservationTtlSeconds,
  });
  deps.crash('stock-reserved-answered');
  switch (result.status) {
    case 'reserved':
      return { step, kind: 'reserved', reservation: result.reservation };
    case 'out_of_stock': {
      const { productId, available, requested } = result;
      return { step, kind: 'out-of-stock', productId, available, requested };
    }
    case 'unknown_product':
      return { step, kind: 'unknown-product', productId: result.productId };
    case 'invalid':
    case 'unavailable':
      return { step, ...toInventoryFailure(result) };
  }
}

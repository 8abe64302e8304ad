import type {
  CommitResult,
  InventoryClient,
  ReleaseResult,
  Reservation,
  ReserveRequest,
  ReserveResult,
} from '../src/inventory/inventory-client.js';

type Call = 'reserve' | 'commit' | 'release';

/**
 * The products inventory API's contract in memory, for the saga's tests: stock per product, one
 * reservation per order (idempotent, like the real one), and failures a test can script per call
 * (`failNext('reserve', 'unavailable')`). The real API is exercised by products' own tests and by
 * the end-to-end suite.
 */
export function createFakeInventory(products: { id: string; stock: number; priceMinor: number; currency?: string }[]) {
  const catalog = new Map(products.map((product) => [product.id, { currency: 'USD', ...product }]));
  const reservations = new Map<string, Reservation>();
  const scripted: Partial<Record<Call, ('unavailable' | 'invalid')[]>> = {};
  const calls: { call: Call; orderId: string }[] = [];

  const scriptedFailure = (call: Call) => {
    const next = scripted[call]?.shift();
    if (next === 'unavailable')
      return { status: 'unavailable', isRetryable: true, reason: 'unreachable', message: `${call}: scripted outage` } as const;
    if (next === 'invalid')
      return { status: 'invalid', isRetryable: false, code: 'FORBIDDEN', message: `${call}: scripted refusal` } as const;
    return null;
  };

  const client: InventoryClient = {
    async reserve({ orderId, items, ttlSeconds }: ReserveRequest): Promise<ReserveResult> {
      calls.push({ call: 'reserve', orderId });
      const failure = scriptedFailure('reserve');
      if (failure) return failure;
      const existing = reservations.get(orderId);
      if (existing) return { status: 'reserved', reservation: structuredClone(existing) };
      for (const { productId, quantity } of items) {
        const product = catalog.get(productId);
        if (!product) return { status: 'unknown_product', productId };
        if (product.stock < quantity) return { status: 'out_of_stock', productId, available: product.stock, requested: quantity };
      }
      const lines = items.map(({ productId, quantity }) => {
        const product = catalog.get(productId)!;
        product.stock -= quantity;
        return {
          productId,
          name: `Product ${productId}`,
          quantity,
          unitPriceMinor: product.priceMinor,
          currency: product.currency,
        };
      });
      const reservation: Reservation = {
        orderId,
        status: 'RESERVED',
        expiresAt: new Date(Date.now() + ttlSeconds * 1000),
        lines,
      };
      reservations.set(orderId, reservation);
      return { status: 'reserved', reservation: structuredClone(reservation) };
    },
    async commit(orderId): Promise<CommitResult> {
      calls.push({ call: 'commit', orderId });
      const failure = scriptedFailure('commit');
      if (failure) return failure;
      const reservation = reservations.get(orderId);
      if (!reservation) return { status: 'not_found' };
      if (reservation.status === 'RELEASED') return { status: 'released' };
      reservation.status = 'COMMITTED';
      return { status: 'committed', reservation: structuredClone(reservation) };
    },
    async release(orderId): Promise<ReleaseResult> {
      calls.push({ call: 'release', orderId });
      const failure = scriptedFailure('release');
      if (failure) return failure;
      const reservation = reservations.get(orderId);
      if (!reservation) return { status: 'not_found' };
      if (reservation.status !== 'RELEASED') {
        for (const line of reservation.lines) catalog.get(line.productId)!.stock += line.quantity;
        reservation.status = 'RELEASED';
      }
      return { status: 'released', reservation: structuredClone(reservation) };
    },
  };

  return {
    client,
    calls,
    stockOf: (productId: string) => catalog.get(productId)?.stock,
    reservationOf: (orderId: string) => reservations.get(orderId),
    /** Makes the next calls of a kind fail, in order. */
    failNext(call: Call, ...failures: ('unavailable' | 'invalid')[]) {
      (scripted[call] ??= []).push(...failures);
    },
    /** Lets a reservation lapse, as products' expiry sweep would. */
    expire(orderId: string) {
      const reservation = reservations.get(orderId);
      if (reservation?.status === 'RESERVED') {
        for (const line of reservation.lines) catalog.get(line.productId)!.stock += line.quantity;
        reservation.status = 'RELEASED';
      }
    },
  };
}

export type FakeInventory = ReturnType<typeof createFakeInventory>;

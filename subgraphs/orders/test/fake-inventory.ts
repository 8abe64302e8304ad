import type {
  CommitResult,
  InventoryClient,
  ReleaseResult,
  Reservation,
  ReserveRequest,
  ReserveResult,
} from '../src/clients/inventory-client.js';

type Call = 'reserve' | 'commit' | 'release';

/**
 * How a scripted call fails: `unavailable` answers no before doing anything, `invalid` refuses,
 * `timeout` does what was asked and then loses the answer (the caller cannot tell it from
 * `unavailable`).
 */
type Failure = 'unavailable' | 'invalid' | 'timeout';

/**
 * The products inventory API's contract in memory, for the saga's tests: stock per product, one
 * reservation per order (idempotent, like the real one), and failures a test can script per call
 * (`failNext('reserve', 'unavailable')`). The real API is exercised by products' own tests and by
 * the end-to-end suite.
 */
export function createFakeInventory(products: { id: string; stock: number; priceMinor: number; currency?: string }[]) {
  const catalog = new Map(products.map((product) => [product.id, { currency: 'USD', ...product }]));
  const reservations = new Map<string, Reservation>();
  const scripted: Partial<Record<Call, Failure[]>> = {};
  const calls: { call: Call; orderId: string }[] = [];
  const holds: Partial<Record<Call, { reached: () => void; released: Promise<void> }[]>> = {};

  /**
   * Runs `act` unless a failure is scripted for this call; a `timeout` runs it and drops its answer.
   * A held call first waits until the test lets it go.
   */
  const scriptedCall = async <T>(call: Call, act: () => T) => {
    const hold = holds[call]?.shift();
    if (hold) {
      hold.reached();
      await hold.released;
    }
    const next = scripted[call]?.shift();
    if (next === 'unavailable')
      return { status: 'unavailable', isRetryable: true, reason: 'unreachable', message: `${call}: scripted outage` } as const;
    if (next === 'invalid')
      return { status: 'invalid', isRetryable: false, code: 'FORBIDDEN', message: `${call}: scripted refusal` } as const;
    const result = act();
    if (next === 'timeout')
      return { status: 'unavailable', isRetryable: true, reason: 'timeout', message: `${call}: scripted lost answer` } as const;
    return result;
  };

  const reserveNow = ({ orderId, items, ttlSeconds }: ReserveRequest): ReserveResult => {
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
  };

  const commitNow = (orderId: string): CommitResult => {
    const reservation = reservations.get(orderId);
    if (!reservation) return { status: 'not_found' };
    if (reservation.status === 'RELEASED') return { status: 'released' };
    reservation.status = 'COMMITTED';
    return { status: 'committed', reservation: structuredClone(reservation) };
  };

  const releaseNow = (orderId: string): ReleaseResult => {
    const reservation = reservations.get(orderId);
    if (!reservation) return { status: 'not_found' };
    if (reservation.status !== 'RELEASED') {
      for (const line of reservation.lines) catalog.get(line.productId)!.stock += line.quantity;
      reservation.status = 'RELEASED';
    }
    return { status: 'released', reservation: structuredClone(reservation) };
  };

  const client: InventoryClient = {
    async reserve(request: ReserveRequest): Promise<ReserveResult> {
      calls.push({ call: 'reserve', orderId: request.orderId });
      return scriptedCall('reserve', () => reserveNow(request));
    },
    async commit(orderId): Promise<CommitResult> {
      calls.push({ call: 'commit', orderId });
      return scriptedCall('commit', () => commitNow(orderId));
    },
    async release(orderId): Promise<ReleaseResult> {
      calls.push({ call: 'release', orderId });
      return scriptedCall('release', () => releaseNow(orderId));
    },
  };

  return {
    client,
    calls,
    stockOf: (productId: string) => catalog.get(productId)?.stock,
    reservationOf: (orderId: string) => reservations.get(orderId),
    /** Makes the next calls of a kind fail, in order. */
    failNext(call: Call, ...failures: Failure[]) {
      (scripted[call] ??= []).push(...failures);
    },
    /**
     * Holds the next call of a kind until `release()`: `reached` resolves once the caller is waiting
     * on it. What it then answers (a scripted failure included) is decided after the release.
     */
    holdNext(call: Call) {
      let reached!: () => void;
      let release!: () => void;
      const isReached = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      (holds[call] ??= []).push({ reached, released });
      return { reached: isReached, release };
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

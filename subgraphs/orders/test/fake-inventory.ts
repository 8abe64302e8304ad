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

type CatalogEntry = { id: string; stock: number; priceMinor: number; currency?: string };

/**
 * The products inventory API's contract in memory, for the saga's tests: stock per product, one
 * reservation per order (idempotent, like the real one), and failures a test can script per call
 * (`failNext('reserve', 'unavailable')`). The real API is exercised by products' own tests and by
 * the end-to-end suite.
 */
export function createFakeInventory(products: CatalogEntry[]) {
  const stock = createStockLedger(products);
  const script = createCallScript();
  const calls: { call: Call; orderId: string }[] = [];

  const client: InventoryClient = {
    async reserve(request: ReserveRequest): Promise<ReserveResult> {
      calls.push({ call: 'reserve', orderId: request.orderId });
      return script.run('reserve', () => stock.reserve(request));
    },
    async commit(orderId): Promise<CommitResult> {
      calls.push({ call: 'commit', orderId });
      return script.run('commit', () => stock.commit(orderId));
    },
    async release(orderId): Promise<ReleaseResult> {
      calls.push({ call: 'release', orderId });
      return script.run('release', () => stock.release(orderId));
    },
  };

  return {
    client,
    calls,
    stockOf: stock.stockOf,
    reservationOf: stock.reservationOf,
    /** Makes the next calls of a kind fail, in order. */
    failNext: script.failNext,
    holdNext: script.holdNext,
    /** Lets a reservation lapse, as products' expiry sweep would. */
    expire: stock.expire,
  };
}

export type FakeInventory = ReturnType<typeof createFakeInventory>;

/** Stock per product and one reservation per order, changed as the products inventory API would. */
function createStockLedger(products: CatalogEntry[]) {
  const catalog = new Map(products.map((product) => [product.id, { currency: 'USD', ...product }]));
  const reservations = new Map<string, Reservation>();

  /** Puts a reservation's lines back into stock. */
  const giveBack = (reservation: Reservation) => {
    for (const line of reservation.lines) catalog.get(line.productId)!.stock += line.quantity;
    reservation.status = 'RELEASED';
  };

  const reserve = (request: ReserveRequest) => reserveStock(catalog, reservations, request);

  const commit = (orderId: string): CommitResult => {
    const reservation = reservations.get(orderId);
    if (!reservation) return { status: 'not_found' };
    if (reservation.status === 'RELEASED') return { status: 'released' };
    reservation.status = 'COMMITTED';
    return { status: 'committed', reservation: structuredClone(reservation) };
  };

  const release = (orderId: string): ReleaseResult => {
    const reservation = reservations.get(orderId);
    if (!reservation) return { status: 'not_found' };
    if (reservation.status !== 'RELEASED') giveBack(reservation);
    return { status: 'released', reservation: structuredClone(reservation) };
  };

  const expire = (orderId: string) => {
    const reservation = reservations.get(orderId);
    if (reservation?.status === 'RESERVED') giveBack(reservation);
  };

  return {
    reserve,
    commit,
    release,
    expire,
    stockOf: (productId: string) => catalog.get(productId)?.stock,
    reservationOf: (orderId: string) => reservations.get(orderId),
  };
}

/** Reserves every line or, when one cannot be had, nothing; a repeat answers the same reservation. */
function reserveStock(
  catalog: Map<string, Required<CatalogEntry>>,
  reservations: Map<string, Reservation>,
  { orderId, items, ttlSeconds }: ReserveRequest,
): ReserveResult {
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
}

/** The failures and holds a test scripts for the next calls of each kind, used up in order. */
function createCallScript() {
  const failures: Partial<Record<Call, Failure[]>> = {};
  const holds: Partial<Record<Call, { reached: () => void; released: Promise<void> }[]>> = {};

  /**
   * Runs `act` unless a failure is scripted for this call; a `timeout` runs it and drops its answer.
   * A held call first waits until the test lets it go.
   */
  const run = async <T>(call: Call, act: () => T) => {
    const hold = holds[call]?.shift();
    if (hold) {
      hold.reached();
      await hold.released;
    }
    const next = failures[call]?.shift();
    if (next === 'unavailable')
      return { status: 'unavailable', isRetryable: true, reason: 'unreachable', message: `${call}: scripted outage` } as const;
    if (next === 'invalid')
      return { status: 'invalid', isRetryable: false, code: 'FORBIDDEN', message: `${call}: scripted refusal` } as const;
    const result = act();
    if (next === 'timeout')
      return { status: 'unavailable', isRetryable: true, reason: 'timeout', message: `${call}: scripted lost answer` } as const;
    return result;
  };

  const failNext = (call: Call, ...next: Failure[]) => {
    (failures[call] ??= []).push(...next);
  };

  /**
   * Holds the next call of a kind until `release()`: `reached` resolves once the caller is waiting
   * on it. What it then answers (a scripted failure included) is decided after the release.
   */
  const holdNext = (call: Call) => {
    let reached!: () => void;
    let release!: () => void;
    const isReached = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    (holds[call] ??= []).push({ reached, released });
    return { reached: isReached, release };
  };

  return { run, failNext, holdNext };
}

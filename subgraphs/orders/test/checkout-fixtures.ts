import { randomUUID } from 'node:crypto';
import { createDemoOrders, DEFAULT_SEED_OPTIONS, getDemoAdminId, getDemoCustomerId } from '@supergraph/demo-data';
import type { Viewer } from '@supergraph/server-kit/auth';
import type { CreateOrderInput } from '../src/__generated__/resolvers-types.js';

// The data the checkout tests share: the seed, who calls, the inventory's catalog, the saga's
// timing, and createOrder inputs.

/** Few demo orders (the first PENDING one is the 21st), so a fresh database per test stays cheap. */
export const SEED = { ...DEFAULT_SEED_OPTIONS, orders: 40 };
export const SEEDED_ORDERS = createDemoOrders(SEED);

export const CUSTOMER: Viewer = { id: getDemoCustomerId(SEED), role: 'CUSTOMER' };
export const ADMIN: Viewer = { id: getDemoAdminId(SEED), role: 'ADMIN' };
/** A customer with no orders yet, of their own for each test that asks. */
export const newCustomer = (): Viewer => ({ id: randomUUID(), role: 'CUSTOMER' });

/** The saga's timing in these tests (see src/env.ts and createSagaDependencies). */
export const TIMING = {
  leaseMs: 3_000,
  deadlineMs: 120_000,
  /** CHECKOUT_PAYMENT_SETTLE_SECONDS: longer than the sandbox's slow charge, so a slow charge has landed by then. */
  paymentSettleMs: 3_000,
  retentionMs: 24 * 3_600_000,
  /** CHECKOUT_LATE_CHARGE_CHECK_SECONDS. */
  lateChargeCheckMs: 600_000,
  /** Longer than the longest retry backoff (maxRetryDelayMs), shorter than the deadline. */
  pastAnyBackoffMs: 60_001,
} as const;

/** The inventory's catalog: its prices, not the client's, make the order's. */
export const CATALOG = [
  { id: 'lamp', stock: 10, priceMinor: 2_500 },
  { id: 'desk', stock: 3, priceMinor: 19_999 },
  { id: 'chair', stock: 5, priceMinor: 8_950 },
  { id: 'print', stock: 4, priceMinor: 1_200, currency: 'EUR' },
  // Two of them are more than one payment may be (MAX_ORDER_TOTAL_MINOR).
  { id: 'yacht', stock: 2, priceMinor: 60_000_000 },
  // Fifty cheap products with deep stock, for the largest cart the API accepts.
  ...Array.from({ length: 50 }, (_, index) => ({ id: `bulk-${index + 1}`, stock: 1_000, priceMinor: 100 })),
];
export const initialStockOf = (productId: string) => CATALOG.find((product) => product.id === productId)!.stock;

/** createOrder's items from a quantity per product id, in the order given: `cartOf({ lamp: 2, desk: 1 })`. */
export const cartOf = (quantities: Record<string, number>) =>
  Object.entries(quantities).map(([productId, quantity]) => ({ productId, quantity }));

let keyCount = 0;
/** A createOrder input: one lamp with tok_visa and a fresh key, unless told otherwise. */
export function checkoutInput(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  keyCount += 1;
  return {
    items: [{ productId: 'lamp', quantity: 1 }],
    idempotencyKey: `checkout-${process.pid}-${Date.now()}-${keyCount}`,
    paymentToken: 'tok_visa',
    ...overrides,
  };
}

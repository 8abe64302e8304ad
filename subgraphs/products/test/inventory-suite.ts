import { DEFAULT_SEED_OPTIONS } from '@supergraph/demo-data';
import { InventoryError } from '../src/inventory/inventory-error.js';
import { reserveStock } from '../src/inventory/reservation-service.js';
import { describeProducts, type ProductsHarness } from './harness.js';
import { readStock } from './inventory-fixtures.js';

/** A reservation's lifetime when a test names none. */
export const TTL_MS = 15 * 60 * 1000;
/** The instant a test reserves at when it names none: a fixed clock, so stored times compare exactly. */
export const now = new Date('2026-03-01T10:00:00.000Z');
/** `ms` after `now`. */
export const later = (ms: number) => new Date(now.getTime() + ms);

/** The refusal a promise rejects with, as the caller sees it: code, details and message. */
export async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InventoryError) return { code: error.code, ...error.details, message: error.message };
    throw error;
  }
  throw new Error('expected an InventoryError, but the call succeeded');
}

type ReservedItems = { productId: string; quantity: number }[];

/** What the inventory tests reach through, over the products subgraph `harness` of their pass. */
function createInventorySuite(harness: ProductsHarness) {
  return {
    harness,
    get database(): ProductsHarness['database'] {
      return harness.database;
    },
    /** Reserves through the service, at `now` for TTL_MS unless `options` say otherwise. */
    reserve: (orderId: string, items: ReservedItems, options: { ttlMs?: number; at?: Date } = {}) =>
      reserveStock(harness.database, { orderId, items, ttlMs: options.ttlMs ?? TTL_MS, now: options.at ?? now }),
    /** The units in stock of each product, in the order given. */
    stockOf: (...products: { id: string }[]) => Promise.all(products.map((product) => readStock(harness.database, product.id))),
  };
}

export type InventorySuite = ReturnType<typeof createInventorySuite>;

/**
 * `define`'s tests once per dialect (`<title> on sqlite`, ...) over the set-up the inventory suites
 * share: one products subgraph for the file, on a database seeded with 10 catalog products, to which
 * each test adds products of its own (addStockedProduct), so tests never share stock.
 */
export function describeInventory(title: string, define: (suite: InventorySuite) => void): void {
  describeProducts(title, { ...DEFAULT_SEED_OPTIONS, products: 10 }, (harness) => define(createInventorySuite(harness)));
}

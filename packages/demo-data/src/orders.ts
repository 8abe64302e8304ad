import type { Faker } from '@faker-js/faker';
import { createHash } from 'node:crypto';
import { DEMO_EPOCH, createEntityFaker, deriveEntityId, drawDurationMs, seedFakerForEntity } from './entity-seed.js';
import { drawProductPriceCents, getDemoProductId } from './products.js';
import { validateSeedOptions, type SeedOptions } from './seed-options.js';
import { DEMO_CUSTOMER_INDEX, FIRST_GENERATED_CUSTOMER_INDEX, generateUser, getDemoUserId } from './users.js';

export interface DemoOrderItem {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface DemoOrder {
  id: string;
  userId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  currency: 'USD';
  totalCents: number;
  createdAt: Date;
  items: DemoOrderItem[];
}

/** Orders of customer@example.com, so the account people sign in with first has a history to page through. */
export const DEMO_CUSTOMER_ORDER_COUNT = 12;

// Roughly one generated customer in seven has an account but has never ordered.
const NON_BUYER_SHARE = 0.15;
const STATUSES: { weight: number; value: DemoOrder['status'] }[] = [
  { weight: 85, value: 'CONFIRMED' },
  { weight: 10, value: 'CANCELLED' },
  { weight: 5, value: 'PENDING' },
];
const LINE_COUNTS = [
  { weight: 35, value: 1 },
  { weight: 30, value: 2 },
  { weight: 18, value: 3 },
  { weight: 10, value: 4 },
  { weight: 7, value: 5 },
];
const QUANTITIES = [
  { weight: 60, value: 1 },
  { weight: 25, value: 2 },
  { weight: 10, value: 3 },
  { weight: 5, value: 4 },
];

/**
 * Creates `options.orders` orders. The first 12 belong to customer@example.com; the rest go to
 * generated customers, some of whom never order (to customer@example.com too when there are no
 * generated customers). The admin never orders. Lines reference products of
 * `createDemoProducts(options)` at that product's price.
 */
export function createDemoOrders(options: SeedOptions): DemoOrder[] {
  return Array.from(generateDemoOrders(options));
}

/**
 * Yields the orders of `createDemoOrders(options)` one at a time, in the same order. What it keeps
 * between orders is bounded by the catalog and the customers (a price per product and a sign-up date
 * per customer already drawn), never by the number of orders.
 */
export function* generateDemoOrders(options: SeedOptions): Generator<DemoOrder, void, undefined> {
  validateSeedOptions(options);
  const orderFaker = createEntityFaker();
  // Lookups reseed a faker of their own, so whether a product or customer was already memoised
  // cannot change what an order draws after it.
  const lookupFaker = createEntityFaker();
  const buyerIndexes = selectBuyerIndexes(options);
  // Memoised per call: orders share products and customers, and the catalog may be far larger than
  // the part of it the orders touch.
  const priceByProduct = new Map<number, number>();
  const createdAtByUser = new Map<number, Date>();
  const lookups: OrderLookups = {
    priceProduct(index) {
      let price = priceByProduct.get(index);
      if (price === undefined) {
        price = drawProductPriceCents(lookupFaker, options.seed, index);
        priceByProduct.set(index, price);
      }
      return price;
    },
    findUserCreatedAt(index) {
      let createdAt = createdAtByUser.get(index);
      if (createdAt === undefined) {
        createdAt = generateUser(lookupFaker, options.seed, index).createdAt;
        createdAtByUser.set(index, createdAt);
      }
      return createdAt;
    },
  };
  for (let index = 0; index < options.orders; index += 1) {
    yield generateOrder(orderFaker, options, index, buyerIndexes, lookups);
  }
}

interface OrderLookups {
  priceProduct(productIndex: number): number;
  findUserCreatedAt(userIndex: number): Date;
}

function generateOrder(
  faker: Faker,
  options: SeedOptions,
  index: number,
  buyerIndexes: readonly number[],
  lookups: OrderLookups,
): DemoOrder {
  seedFakerForEntity(faker, options.seed, 'order', index);
  const userIndex = index < DEMO_CUSTOMER_ORDER_COUNT ? DEMO_CUSTOMER_INDEX : faker.helpers.arrayElement(buyerIndexes);
  const status = faker.helpers.weightedArrayElement(STATUSES);
  const lineCount = Math.min(faker.helpers.weightedArrayElement(LINE_COUNTS), options.products);
  const productIndexes = new Set<number>();
  // Terminates because lineCount never exceeds the catalog size; Set keeps the draw order.
  while (productIndexes.size < lineCount) {
    productIndexes.add(faker.number.int({ min: 0, max: options.products - 1 }));
  }
  const items = [...productIndexes].map((productIndex) => ({
    productId: getDemoProductId(options, productIndex),
    quantity: faker.helpers.weightedArrayElement(QUANTITIES),
    unitPriceCents: lookups.priceProduct(productIndex),
  }));
  // Customers are at least a day old at the epoch, so the window always holds a whole second.
  const userCreatedAt = lookups.findUserCreatedAt(userIndex).getTime();
  const windowSeconds = Math.floor((DEMO_EPOCH.getTime() - userCreatedAt) / 1000);
  return {
    id: deriveEntityId(options.seed, 'order', index),
    userId: getDemoUserId(options, userIndex),
    status,
    currency: 'USD',
    totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    createdAt: new Date(userCreatedAt + drawDurationMs(faker, 1, windowSeconds)),
    items,
  };
}

/**
 * Selects the user indexes of the generated customers who place orders: all but about 15%, chosen by
 * hash so that one customer's fate does not depend on any other's. Falls back to every generated
 * customer if the hash spared none, and to customer@example.com if there are no generated customers.
 */
function selectBuyerIndexes(options: SeedOptions): number[] {
  const generated = Array.from({ length: options.customers }, (_, offset) => FIRST_GENERATED_CUSTOMER_INDEX + offset);
  const buyers = generated.filter((userIndex) => {
    const digest = createHash('sha1').update(`${options.seed}:buyer:${userIndex}`).digest();
    return digest.readUInt32BE(0) / 2 ** 32 >= NON_BUYER_SHARE;
  });
  if (buyers.length > 0) return buyers;
  return generated.length > 0 ? generated : [DEMO_CUSTOMER_INDEX];
}

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEED_OPTIONS,
  DEMO_CUSTOMER_EMAIL,
  DEMO_EPOCH,
  createDemoOrders,
  createDemoProducts,
  createDemoUsers,
  generateDemoOrders,
  getDemoAdminId,
  getDemoCustomerId,
  type DemoOrder,
  type SeedOptions,
} from '../src/index.js';

/** Asserts what every service relies on: the orders agree with the users and products seeded elsewhere. */
function expectOrdersToAgreeWithUsersAndProducts(options: SeedOptions, orders: DemoOrder[]): void {
  const users = new Map(createDemoUsers(options).map((user) => [user.id, user]));
  const prices = new Map(createDemoProducts(options).map((product) => [product.id, product.priceCents]));
  for (const order of orders) {
    const user = users.get(order.userId);
    expect(user?.role).toBe('CUSTOMER');
    expect(order.createdAt.getTime()).toBeGreaterThan(user!.createdAt.getTime());
    expect(order.createdAt.getTime()).toBeLessThanOrEqual(DEMO_EPOCH.getTime());
    expect(order.items.length).toBeGreaterThanOrEqual(1);
    expect(order.items.length).toBeLessThanOrEqual(Math.min(5, options.products));
    expect(new Set(order.items.map((item) => item.productId)).size).toBe(order.items.length);
    for (const item of order.items) {
      expect(prices.get(item.productId)).toBe(item.unitPriceCents);
      expect(item.quantity).toBeGreaterThanOrEqual(1);
      expect(item.quantity).toBeLessThanOrEqual(4);
    }
    expect(order.totalCents).toBe(order.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0));
    expect(order.currency).toBe('USD');
  }
}

describe('createDemoOrders', () => {
  it('returns the same orders for the same options', () => {
    expect(createDemoOrders(DEFAULT_SEED_OPTIONS)).toEqual(createDemoOrders({ ...DEFAULT_SEED_OPTIONS }));
  });

  it('returns other orders for another seed', () => {
    const orders = createDemoOrders(DEFAULT_SEED_OPTIONS);
    const others = createDemoOrders({ ...DEFAULT_SEED_OPTIONS, seed: 1 });
    expect(others.map((order) => order.id)).not.toEqual(orders.map((order) => order.id));
    expect(others.map((order) => order.totalCents)).not.toEqual(orders.map((order) => order.totalCents));
  });

  it('returns as many orders as asked for, with unique ids', () => {
    const orders = createDemoOrders(DEFAULT_SEED_OPTIONS);
    expect(orders).toHaveLength(600);
    expect(new Set(orders.map((order) => order.id)).size).toBe(600);
    expect(createDemoOrders({ ...DEFAULT_SEED_OPTIONS, orders: 0 })).toEqual([]);
    expect(createDemoOrders({ ...DEFAULT_SEED_OPTIONS, orders: 0, products: 0 })).toEqual([]);
  });

  it('references only customers and products that exist, at the catalog price, with correct totals', () => {
    expectOrdersToAgreeWithUsersAndProducts(DEFAULT_SEED_OPTIONS, createDemoOrders(DEFAULT_SEED_OPTIONS));
  });

  it('gives customer@example.com exactly 12 orders and the admin none', () => {
    const users = createDemoUsers(DEFAULT_SEED_OPTIONS);
    expect(users[1]?.email).toBe(DEMO_CUSTOMER_EMAIL);
    const orders = createDemoOrders(DEFAULT_SEED_OPTIONS);
    expect(orders.filter((order) => order.userId === getDemoCustomerId(DEFAULT_SEED_OPTIONS))).toHaveLength(12);
    expect(orders.filter((order) => order.userId === getDemoAdminId(DEFAULT_SEED_OPTIONS))).toHaveLength(0);
  });

  it('spreads the other orders over generated customers, leaving some without any', () => {
    const users = createDemoUsers(DEFAULT_SEED_OPTIONS).slice(2);
    const buyers = new Set(createDemoOrders(DEFAULT_SEED_OPTIONS).map((order) => order.userId));
    const withOrders = users.filter((user) => buyers.has(user.id)).length;
    expect(withOrders).toBeGreaterThan(users.length / 2);
    expect(withOrders).toBeLessThan(users.length);
  });

  it('makes most orders confirmed and some cancelled or pending', () => {
    const orders = createDemoOrders({ ...DEFAULT_SEED_OPTIONS, orders: 5000 });
    const share = (status: DemoOrder['status']) => orders.filter((order) => order.status === status).length / orders.length;
    expect(share('CONFIRMED')).toBeGreaterThan(0.8);
    expect(share('CANCELLED')).toBeGreaterThan(0.06);
    expect(share('PENDING')).toBeGreaterThan(0.02);
  });

  it('puts distinct products on the lines of orders from a catalog of three', () => {
    const options = { ...DEFAULT_SEED_OPTIONS, products: 3, orders: 200 };
    const orders = createDemoOrders(options);
    expect(orders).toHaveLength(200);
    expectOrdersToAgreeWithUsersAndProducts(options, orders);
    expect(orders.some((order) => order.items.length === 3)).toBe(true);
  });

  it('handles a catalog of one product and a shop without generated customers', () => {
    const options = { ...DEFAULT_SEED_OPTIONS, customers: 0, products: 1, orders: 20 };
    const orders = createDemoOrders(options);
    expectOrdersToAgreeWithUsersAndProducts(options, orders);
    expect(orders.every((order) => order.userId === getDemoCustomerId(options))).toBe(true);
  });

  it('gives all orders to customer@example.com when there are fewer than 12', () => {
    const orders = createDemoOrders({ ...DEFAULT_SEED_OPTIONS, orders: 5 });
    expect(orders.map((order) => order.userId)).toEqual(Array(5).fill(getDemoCustomerId(DEFAULT_SEED_OPTIONS)));
  });

  it('keeps an order the same whatever the number of orders generated after it', () => {
    const few = createDemoOrders({ ...DEFAULT_SEED_OPTIONS, orders: 40 });
    expect(createDemoOrders(DEFAULT_SEED_OPTIONS).slice(0, 40)).toEqual(few);
  });
});

describe('generateDemoOrders', () => {
  it('yields the orders of createDemoOrders one at a time, without building them all first', () => {
    expect([...generateDemoOrders(DEFAULT_SEED_OPTIONS)]).toEqual(createDemoOrders(DEFAULT_SEED_OPTIONS));
    const first = [];
    for (const order of generateDemoOrders({ ...DEFAULT_SEED_OPTIONS, orders: 1_000_000 })) {
      first.push(order);
      if (first.length === 20) break;
    }
    expect(first).toEqual(createDemoOrders({ ...DEFAULT_SEED_OPTIONS, orders: 20 }));
  });
});

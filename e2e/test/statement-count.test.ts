import { createDemoProducts, getDemoCustomerId, getDemoUserId, parseSeedOptions } from '@supergraph/demo-data';
import type { DatabaseLocation } from '@supergraph/server-kit/db';
import { testDialects } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserOrdersDocument } from '../../operations/__generated__/graphql.js';
// Fixtures are written with the orders service's own table definitions, into its throwaway database.
import { openOrdersDatabase } from '../../subgraphs/orders/src/db/client.js';
import { startStack, type Stack } from './support/stack.js';

const seedArgs = ['--customers', '2', '--products', '50', '--orders', '0'];
const seed = parseSeedOptions(seedArgs);
const oneOrderUserId = getDemoCustomerId(seed);
const fiftyOrdersUserId = getDemoUserId(seed, 2);
const ITEMS_PER_ORDER = 5;

/** Gives `userId` `count` orders of five lines each, over the demo catalog's products. */
async function writeOrders(location: DatabaseLocation, userId: string, count: number): Promise<void> {
  const products = createDemoProducts(seed);
  const database = await openOrdersDatabase(location);
  const { orders, orderItems } = database.tables;
  for (let n = 0; n < count; n += 1) {
    const lines = Array.from({ length: ITEMS_PER_ORDER }, (_, line) => {
      const product = products[(n * ITEMS_PER_ORDER + line) % products.length]!;
      return {
        lineNumber: line + 1,
        productId: product.id,
        quantity: line + 1,
        unitPriceMinor: product.priceCents,
        currency: 'USD',
      };
    });
    const orderId = `${userId}-order-${n}`;
    const createdAt = new Date(Date.UTC(2026, 0, 1) - n * 60_000);
    await database.transaction(async ({ db }) => {
      await db.insert(orders).values({
        id: orderId,
        userId,
        status: 'CONFIRMED',
        totalMinor: lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0),
        currency: 'USD',
        createdAt,
        updatedAt: createdAt,
      });
      await db.insert(orderItems).values(lines.map((line) => ({ ...line, orderId })));
    });
  }
  await database.close();
}

describe.each(testDialects())('every subgraph on %s', (dialect) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      dialect,
      seedArgs,
      // The checkout recovery loop queries the orders database on every tick (default every 5 s): one
      // tick in the measured window would add its statements to the join's. It still runs once at start.
      ordersEnv: { CHECKOUT_RECOVERY_INTERVAL_MS: '600000' },
      beforeStart: async (databases) => {
        await writeOrders(databases.orders, oneOrderUserId, 1);
        await writeOrders(databases.orders, fiftyOrdersUserId, 50);
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function countStatementsOfJoin(userId: string) {
    const before = await stack.statementCounts();
    // As the user themself: a user's profile and orders are theirs (and admins') alone.
    const { token } = await stack.keys.issue({ id: userId, role: 'CUSTOMER' });
    const { body } = await stack.query(UserOrdersDocument, { userId, first: 50 }, { authorization: `Bearer ${token}` });
    const after = await stack.statementCounts();
    expect(body.errors).toBeUndefined();
    return {
      orders: body.data?.user?.orders,
      statements: {
        users: after.users - before.users,
        products: after.products - before.products,
        orders: after.orders - before.orders,
      },
    };
  }

  it('runs the same SQL statements for the join whether the user has 1 order or 50 orders of 5 items', async () => {
    const one = await countStatementsOfJoin(oneOrderUserId);
    const fifty = await countStatementsOfJoin(fiftyOrdersUserId);

    expect(one.orders?.nodes).toHaveLength(1);
    expect(fifty.orders?.totalCount).toBe(50);
    expect(fifty.orders?.nodes).toHaveLength(50);
    const items = fifty.orders?.nodes.flatMap((node) => node.items) ?? [];
    expect(items).toHaveLength(250);
    expect(items.every((item) => typeof item.product?.name === 'string')).toBe(true);

    // users: the user. orders: the page, the count, the lines. products: the products, their categories.
    expect(one.statements).toEqual({ users: 1, orders: 3, products: 2 });
    expect(fifty.statements).toEqual(one.statements);
  });
});

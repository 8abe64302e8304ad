import {
  createDemoOrders,
  createDemoUsers,
  DEFAULT_SEED_OPTIONS,
  getDemoAdminId,
  getDemoCustomerId,
} from '@supergraph/demo-data';
import type { Viewer } from '@supergraph/server-kit/auth';
import { readAllPages, selectConnectionPage, testPageArgumentRefusals, type PageArguments } from '@supergraph/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersHarness, dataOf, testDialects, type OrdersHarness } from './harness.js';

const seed = DEFAULT_SEED_OPTIONS;
const demoOrders = createDemoOrders(seed);
const customerId = getDemoCustomerId(seed);
// Orders are visible to their owner and to admins only (see permissions.test.ts); these tests read as one of them.
const customer: Viewer = { id: customerId, role: 'CUSTOMER' };
const admin: Viewer = { id: getDemoAdminId(seed), role: 'ADMIN' };
const newestFirst = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1);
const formatCents = (cents: number) => (cents / 100).toFixed(2);

describe.each(testDialects())('the orders subgraph on %s', (dialect) => {
  let harness: OrdersHarness;
  beforeAll(async () => {
    harness = await createOrdersHarness(dialect, { seed });
  });
  afterAll(() => harness?.close());

  const USER_ORDERS = `#graphql
  query UserOrders($representations: [_Any!]!, $first: Int, $after: String, $last: Int, $before: String) {
    _entities(representations: $representations) {
      ... on User {
        id
        orders(first: $first, after: $after, last: $last, before: $before) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { id status createdAt total { amount currency } items { quantity unitPrice { amount } lineTotal { amount } product { id } } }
        }
      }
    }
  }
`;

  describe('order(id)', () => {
    it('returns the order with its lines at the prices paid, totals as decimal strings and entity references', async () => {
      const expected = demoOrders.find((order) => order.items.length >= 3)!;
      const data = dataOf(
        await harness.execute(
          `#graphql
        query ($id: ID!) {
          order(id: $id) {
            id status createdAt user { id }
            total { amount currency }
            items { quantity product { id } unitPrice { amount currency } lineTotal { amount } }
          }
        }`,
          { id: expected.id },
          { viewer: { id: expected.userId, role: 'CUSTOMER' } },
        ),
      );
      expect(data.order).toEqual({
        id: expected.id,
        status: expected.status,
        createdAt: expected.createdAt.toISOString(),
        user: { id: expected.userId },
        total: { amount: formatCents(expected.totalCents), currency: 'USD' },
        items: expected.items.map((item) => ({
          quantity: item.quantity,
          product: { id: item.productId },
          unitPrice: { amount: formatCents(item.unitPriceCents), currency: 'USD' },
          lineTotal: { amount: formatCents(item.unitPriceCents * item.quantity) },
        })),
      });
    });

    it('returns null for an id that does not exist', async () => {
      const data = dataOf(
        await harness.execute(
          `#graphql
      { order(id: "no-such-order") { id } }`,
          {},
          { viewer: customer },
        ),
      );
      expect(data.order).toBeNull();
    });
  });

  describe('User.orders', () => {
    it("pages through a user's orders newest first, with totalCount", async () => {
      const expectedIds = demoOrders
        .filter((order) => order.userId === customerId)
        .sort(newestFirst)
        .map((order) => order.id);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const data = dataOf(
          await harness.execute(
            USER_ORDERS,
            { representations: [{ __typename: 'User', id: customerId }], first: 5, after },
            { viewer: customer },
          ),
        );
        const { orders } = data._entities[0];
        expect(orders.totalCount).toBe(expectedIds.length);
        seen.push(...orders.nodes.map((node: { id: string }) => node.id));
        if (!orders.pageInfo.hasNextPage) break;
        after = orders.pageInfo.endCursor;
      }
      expect(seen).toEqual(expectedIds);
    });

    it("pages backward through a user's orders with `last`, each page newest first, the same orders as forward", async () => {
      const ORDER_PAGES = `#graphql
        query ($representations: [_Any!]!, $first: Int, $after: String, $last: Int, $before: String) {
          _entities(representations: $representations) {
            ... on User { orders(first: $first, after: $after, last: $last, before: $before) { ${selectConnectionPage('id')} } }
          }
        }`;
      const representations = [{ __typename: 'User', id: customerId }];
      const readPage = async (page: PageArguments) =>
        dataOf(await harness.execute(ORDER_PAGES, { representations, ...page }, { viewer: customer }))._entities[0].orders;
      const theirs = demoOrders.filter((order) => order.userId === customerId).sort(newestFirst);
      const forward = await readAllPages(readPage, { first: 4, totalCount: theirs.length });
      const backward = await readAllPages(readPage, { last: 4, totalCount: theirs.length });
      expect(backward.ids).toEqual(theirs.map((order) => order.id));
      expect(backward).toEqual(forward);
    });

    it('answers an empty connection for a user without orders', async () => {
      const data = dataOf(
        await harness.execute(
          USER_ORDERS,
          { representations: [{ __typename: 'User', id: 'user-without-orders' }] },
          { viewer: { id: 'user-without-orders', role: 'CUSTOMER' } },
        ),
      );
      expect(data._entities[0].orders).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] });
    });

    it('runs the same number of SQL statements for 1 user as for every user at once', async () => {
      const users = createDemoUsers(seed);
      const one = [{ __typename: 'User', id: customerId }];
      const all = users.map((user) => ({ __typename: 'User', id: user.id }));
      let allData: Record<string, any> = {};
      const forOne = await harness.countStatements(() =>
        harness.execute(USER_ORDERS, { representations: one, first: 3 }, { viewer: admin }).then(dataOf),
      );
      const forAll = await harness.countStatements(async () => {
        allData = dataOf(await harness.execute(USER_ORDERS, { representations: all, first: 3 }, { viewer: admin }));
      });
      expect(allData._entities).toHaveLength(users.length);
      for (const [index, user] of users.entries()) {
        const theirs = demoOrders.filter((order) => order.userId === user.id).sort(newestFirst);
        expect(allData._entities[index].orders.totalCount).toBe(theirs.length);
        expect(allData._entities[index].orders.nodes.map((node: { id: string }) => node.id)).toEqual(
          theirs.slice(0, 3).map((order) => order.id),
        );
      }
      // One statement each: the order pages, the counts, the lines.
      expect(forOne).toBe(3);
      expect(forAll).toBe(forOne);
    });

    it("reads every user's last page backward in the same number of SQL statements", async () => {
      const users = createDemoUsers(seed);
      const all = users.map((user) => ({ __typename: 'User', id: user.id }));
      let data: Record<string, any> = {};
      const statements = await harness.countStatements(async () => {
        data = dataOf(await harness.execute(USER_ORDERS, { representations: all, last: 3 }, { viewer: admin }));
      });
      for (const [index, user] of users.entries()) {
        const theirs = demoOrders.filter((order) => order.userId === user.id).sort(newestFirst);
        const { orders } = data._entities[index];
        expect(orders.nodes.map((node: { id: string }) => node.id)).toEqual(theirs.slice(-3).map((order) => order.id));
        expect(orders.pageInfo.hasNextPage).toBe(false);
      }
      expect(statements).toBe(3);
    });

    it('rejects a page size above 100 and a foreign cursor with BAD_USER_INPUT', async () => {
      const representations = [{ __typename: 'User', id: customerId }];
      const tooMany = await harness.execute(USER_ORDERS, { representations, first: 500 }, { viewer: customer });
      expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
      const badCursor = await harness.execute(
        USER_ORDERS,
        { representations, after: 'WyJub3QiLCJhIGN1cnNvciJd' },
        { viewer: customer },
      );
      expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    });

    describe('page arguments', () => {
      testPageArgumentRefusals((variables) =>
        harness.execute(
          USER_ORDERS,
          { representations: [{ __typename: 'User', id: customerId }], ...variables },
          { viewer: customer },
        ),
      );
    });
  });

  describe('federation', () => {
    it('resolves Order references through _entities in one SQL statement, null for unknown ids', async () => {
      const wanted = demoOrders.slice(0, 50);
      const representations = [
        ...wanted.map((order) => ({ __typename: 'Order', id: order.id })),
        { __typename: 'Order', id: 'missing' },
      ];
      let data: Record<string, any> = {};
      const statements = await harness.countStatements(async () => {
        data = dataOf(
          await harness.execute(
            `#graphql
          query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { id status } } }`,
            { representations },
            { viewer: admin },
          ),
        );
      });
      expect(data._entities).toEqual([...wanted.map((order) => ({ id: order.id, status: order.status })), null]);
      expect(statements).toBe(1);
    });

    it('publishes User.orders and the Product stub in its SDL through _service', async () => {
      const { _service } = dataOf(
        await harness.execute(`#graphql
      { _service { sdl } }`),
      );
      expect(_service.sdl).toMatch(/type Order\s+@key\(fields: "id"\)/);
      expect(_service.sdl).toMatch(/type Product\s+@key\(fields: "id", resolvable: false\)/);
      expect(_service.sdl).toMatch(
        /orders\(first: Int = 10, after: String, last: Int, before: String\): OrderConnection\s+@listSize\(slicingArguments: \["first", "last"\]/,
      );
    });
  });
});

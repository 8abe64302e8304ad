import { createDemoOrders, DEFAULT_SEED_OPTIONS, getDemoAdminId, getDemoCustomerId } from '@supergraph/demo-data';
import type { Viewer } from '@supergraph/server-kit/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRuleTree, type ExecuteResult } from '@supergraph/server-kit/testing';
import { permissionRules } from '../src/permissions.js';
import { buildSchema } from '../src/schema.js';
import { createOrdersHarness, dataOf, testDialects, type OrdersHarness } from './harness.js';

const seed = DEFAULT_SEED_OPTIONS;
const demoOrders = createDemoOrders(seed);
const admin: Viewer = { id: getDemoAdminId(seed), role: 'ADMIN' };
/** User A: customer@example.com, who has orders. */
const userA: Viewer = { id: getDemoCustomerId(seed), role: 'CUSTOMER' };
/** User B: another customer with orders, whose data A must never see. */
const orderOfB = demoOrders.find((order) => order.userId !== userA.id && order.userId !== admin.id)!;
const userB: Viewer = { id: orderOfB.userId, role: 'CUSTOMER' };

/** The distinct error codes of a result. */
const codesOf = (result: ExecuteResult) => [...new Set(result.errors?.map((error) => error.extensions?.code))];

/** Nothing of B's order (its id, user, total or lines) appears anywhere in the response, errors included. */
function expectNothingOfOrderB(result: ExecuteResult) {
  const text = JSON.stringify(result);
  for (const secret of [orderOfB.id, orderOfB.userId, (orderOfB.totalCents / 100).toFixed(2), orderOfB.items[0]!.productId]) {
    expect(text).not.toContain(secret);
  }
}

describeRuleTree({ subgraph: 'orders', buildSchema, rules: permissionRules, signedIn: userA, sampleField: ['Order', 'total'] });

describe.each(testDialects())('authorization in the orders subgraph on %s', (dialect) => {
  let harness: OrdersHarness;
  beforeAll(async () => {
    harness = await createOrdersHarness(dialect, { seed });
  });
  afterAll(() => harness?.close());

  const ORDER_FIELDS =
    'id status createdAt user { id } total { amount currency } items { quantity product { id } unitPrice { amount } lineTotal { amount } }';
  const ORDER = `#graphql
    query Order($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
  const ORDER_ENTITY = `#graphql
    query OrderEntity($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { ${ORDER_FIELDS} } } }`;
  const USER_ORDERS_ENTITY = `#graphql
    query UserOrders($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on User { id orders(first: 100) { totalCount pageInfo { hasNextPage } edges { cursor node { id } } nodes { ${ORDER_FIELDS} } } }
      }
    }`;

  const orderRepresentation = { representations: [{ __typename: 'Order', id: orderOfB.id }] };
  const userRepresentation = { representations: [{ __typename: 'User', id: userB.id }] };
  const ordersOfB = demoOrders.filter((order) => order.userId === userB.id);

  describe('Query.order', () => {
    it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
      const result = await harness.execute(ORDER, { id: orderOfB.id });
      expect(result.data).toEqual({ order: null });
      expect(result.errors).toEqual([expect.objectContaining({ path: ['order'], extensions: { code: 'UNAUTHENTICATED' } })]);
      expectNothingOfOrderB(result);
    });

    it("refuses user A user B's order with FORBIDDEN and shows nothing of it", async () => {
      const result = await harness.execute(ORDER, { id: orderOfB.id }, { viewer: userA });
      expect(result.data).toEqual({ order: null });
      expect(codesOf(result)).toEqual(['FORBIDDEN']);
      expectNothingOfOrderB(result);
    });

    it.each([
      ['its owner', userB],
      ['an admin', admin],
    ])('shows the order to %s', async (_who, viewer) => {
      const { order } = dataOf(await harness.execute(ORDER, { id: orderOfB.id }, { viewer }));
      expect(order).toMatchObject({ id: orderOfB.id, user: { id: userB.id }, items: expect.any(Array) });
      expect(order.items).toHaveLength(orderOfB.items.length);
    });
  });

  describe('_entities with an Order representation', () => {
    it('answers an anonymous caller UNAUTHENTICATED and a null entity', async () => {
      const result = await harness.execute(ORDER_ENTITY, orderRepresentation);
      expect(result.data).toEqual({ _entities: [null] });
      expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
      expectNothingOfOrderB(result);
    });

    it("answers user A FORBIDDEN and a null entity for user B's order", async () => {
      const result = await harness.execute(ORDER_ENTITY, orderRepresentation, { viewer: userA });
      expect(result.data).toEqual({ _entities: [null] });
      expect(codesOf(result)).toEqual(['FORBIDDEN']);
      expectNothingOfOrderB(result);
    });

    it('trusts the stored order, not a representation that claims another owner', async () => {
      const forged = { representations: [{ __typename: 'Order', id: orderOfB.id, userId: userA.id, user: { id: userA.id } }] };
      const result = await harness.execute(ORDER_ENTITY, forged, { viewer: userA });
      expect(result.data).toEqual({ _entities: [null] });
      expect(codesOf(result)).toEqual(['FORBIDDEN']);
    });

    it.each([
      ['its owner', userB],
      ['an admin', admin],
    ])('resolves the order for %s', async (_who, viewer) => {
      const { _entities } = dataOf(await harness.execute(ORDER_ENTITY, orderRepresentation, { viewer }));
      expect(_entities).toEqual([expect.objectContaining({ id: orderOfB.id, status: orderOfB.status })]);
    });
  });

  describe('_entities with a User representation asking for orders', () => {
    it('answers an anonymous caller UNAUTHENTICATED and no orders', async () => {
      const result = await harness.execute(USER_ORDERS_ENTITY, userRepresentation);
      expect(result.data).toEqual({ _entities: [{ id: userB.id, orders: null }] });
      expect(result.errors).toEqual([
        expect.objectContaining({ path: ['_entities', 0, 'orders'], extensions: { code: 'UNAUTHENTICATED' } }),
      ]);
    });

    it("answers user A FORBIDDEN and no orders for user B's list", async () => {
      const result = await harness.execute(USER_ORDERS_ENTITY, userRepresentation, { viewer: userA });
      expect(result.data).toEqual({ _entities: [{ id: userB.id, orders: null }] });
      expect(result.errors).toEqual([
        expect.objectContaining({ path: ['_entities', 0, 'orders'], extensions: { code: 'FORBIDDEN' } }),
      ]);
      const text = JSON.stringify(result);
      for (const order of ordersOfB) expect(text).not.toContain(order.id);
    });

    it.each([
      ['the user themself', userB],
      ['an admin', admin],
    ])("lists the user's orders for %s", async (_who, viewer) => {
      const { _entities } = dataOf(await harness.execute(USER_ORDERS_ENTITY, userRepresentation, { viewer }));
      expect(_entities[0].orders.totalCount).toBe(ordersOfB.length);
      expect(_entities[0].orders.nodes.map((node: { id: string }) => node.id).sort()).toEqual(
        ordersOfB.map((order) => order.id).sort(),
      );
    });

    it('lets anyone resolve the User key alone, which tells nothing the caller did not send', async () => {
      const { _entities } = dataOf(
        await harness.execute(
          `#graphql
          query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id } } }`,
          userRepresentation,
        ),
      );
      expect(_entities).toEqual([{ id: userB.id }]);
    });
  });

  describe('an order reached through its own user', () => {
    it("gives user A their own orders through Order.user and User.orders, but never B's", async () => {
      const orderOfA = demoOrders.find((order) => order.userId === userA.id)!;
      const { order } = dataOf(
        await harness.execute(
          `#graphql
          query ($id: ID!) { order(id: $id) { id user { id orders(first: 100) { nodes { id user { id } } } } } }`,
          { id: orderOfA.id },
          { viewer: userA },
        ),
      );
      expect(order.user.orders.nodes.map((node: { id: string }) => node.id)).toContain(orderOfA.id);
      expect(order.user.orders.nodes.every((node: { user: { id: string } }) => node.user.id === userA.id)).toBe(true);
    });
  });

  it.each([
    ['an anonymous caller', null],
    ['a customer', userA],
  ])('publishes the SDL through _service to %s', async (_who, viewer) => {
    const { _service } = dataOf(await harness.execute(`#graphql\n{ _service { sdl } }`, {}, { viewer }));
    expect(_service.sdl).toMatch(/type Order\s+@key\(fields: "id"\)/);
  });
});

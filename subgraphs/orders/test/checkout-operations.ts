import type { Viewer } from '@supergraph/server-kit/auth';
import type { ExecuteResult } from '@supergraph/server-kit/testing';
import { expect } from 'vitest';
import type { CreateOrderInput } from '../src/__generated__/resolvers-types.js';
import { ADMIN } from './checkout-fixtures.js';
import { dataOf, type OrdersHarness } from './harness.js';

// The checkout operations as a client sends them, and how a test reads their answers.

const ORDER_FIELDS = `#graphql
  fragment CheckoutOrder on Order {
    id
    status
    createdAt
    cancellationReason
    user { id }
    total { amount currency }
    items { product { id } quantity unitPrice { amount currency } lineTotal { amount currency } }
    statusHistory { status at reason }
  }`;
const CREATE_ORDER = `#graphql
  mutation CreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...CheckoutOrder } }
  ${ORDER_FIELDS}`;
const CANCEL_ORDER = `#graphql
  mutation CancelOrder($id: ID!) { cancelOrder(id: $id) { ...CheckoutOrder } }
  ${ORDER_FIELDS}`;
const ORDER = `#graphql
  query Order($id: ID!) { order(id: $id) { ...CheckoutOrder } }
  ${ORDER_FIELDS}`;

/** createOrder, cancelOrder and Query.order on `harness`, each answering the CheckoutOrder fields. */
export function createCheckoutOperations(harness: Pick<OrdersHarness, 'execute'>) {
  return {
    createOrder: (viewer: Viewer | null, input: CreateOrderInput) => harness.execute(CREATE_ORDER, { input }, { viewer }),
    cancelOrder: (viewer: Viewer | null, id: string) => harness.execute(CANCEL_ORDER, { id }, { viewer }),
    /** The order as an admin sees it through Query.order. */
    async readOrder(id: string) {
      return dataOf(await harness.execute(ORDER, { id }, { viewer: ADMIN })).order;
    },
  };
}

/** The extensions of the single error a failed mutation answers with (code included); it returns no data. */
export function errorOf(result: ExecuteResult): Record<string, unknown> {
  expect(result.errors, JSON.stringify(result.data)).toHaveLength(1);
  expect(result.data).toBeNull();
  return result.errors![0]!.extensions ?? {};
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createDemoOrders, createDemoProducts, DEMO_CUSTOMER_EMAIL, type SeedOptions } from '@supergraph/demo-data';
import { getOperationAST, Kind, parse } from 'graphql';
import {
  CancelOrderDocument,
  CatalogPageDocument,
  CategoriesDocument,
  CheckoutDocument,
  LoginDocument,
  LogoutDocument,
  OrderDetailsDocument,
  OrderHistoryDocument,
  ProductDetailsDocument,
  RefreshTokenDocument,
  UserOrdersDocument,
} from '../../../operations/__generated__/graphql.js';
import type { OperationSender, TypedResponse } from './graphql-client.js';
import { REPO_ROOT } from './processes.js';

/** SEED_PASSWORD's default: the password of every demo account the subgraphs seed. */
export const DEMO_PASSWORD = 'supergraph-demo-2026';

/** One run of a typed document from operations/ with its variables. */
export interface ExampleCall {
  operationName: string;
  variables: object;
  send(query: OperationSender, headers?: Record<string, string>): Promise<TypedResponse<unknown>>;
}

/** A call of `document` with `variables`, checked against the document's variables type. */
export function createExampleCall<TData, TVariables extends object>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): ExampleCall {
  const operationName = getOperationAST(document)?.name?.value;
  if (!operationName) throw new Error('every document in operations/ names its operation');
  return { operationName, variables, send: (query, headers) => query(document, variables, headers) };
}

/** The names of the operations in operations/ (fragments aside), sorted: the list every run of the examples must cover. */
export function listExampleOperationNames(): string[] {
  const directory = join(REPO_ROOT, 'operations');
  return readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => parse(readFileSync(join(directory, file), 'utf8')).definitions)
    .flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : []))
    .sort();
}

export interface ExampleCallsInput {
  seed: SeedOptions;
  /** The signed-in customer, whose orders the examples read and cancel. */
  customerId: string;
  /** A refresh token of that customer (from a Login), for RefreshToken and then Logout. */
  refreshToken: string;
  /** Checkout's idempotency key. */
  idempotencyKey: string;
}

/**
 * Every operation in operations/, once, with variables that make sense against the seeded data:
 * the customer's orders, one of their confirmed orders to cancel, a product in stock to buy.
 */
export function createExampleCalls({ seed, customerId, refreshToken, idempotencyKey }: ExampleCallsInput): ExampleCall[] {
  const orders = createDemoOrders(seed).filter((order) => order.userId === customerId);
  const order = orders[0]!;
  const confirmed = orders.find((candidate) => candidate.status === 'CONFIRMED' && candidate.id !== order.id)!;
  const product = createDemoProducts(seed).find((candidate) => candidate.stock > 0)!;
  return [
    createExampleCall(CancelOrderDocument, { orderId: confirmed.id }),
    createExampleCall(CatalogPageDocument, { first: 5, filter: { inStock: true } }),
    createExampleCall(CategoriesDocument, {}),
    createExampleCall(CheckoutDocument, {
      items: [{ productId: product.id, quantity: 1 }],
      idempotencyKey,
      paymentToken: 'tok_visa',
    }),
    createExampleCall(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD }),
    createExampleCall(OrderDetailsDocument, { orderId: order.id }),
    createExampleCall(OrderHistoryDocument, { first: 3 }),
    createExampleCall(ProductDetailsDocument, { id: product.id }),
    createExampleCall(RefreshTokenDocument, { refreshToken }),
    createExampleCall(UserOrdersDocument, { userId: customerId }),
    // After RefreshToken, which needs the session that Logout ends.
    createExampleCall(LogoutDocument, { refreshToken }),
  ];
}

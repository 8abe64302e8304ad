import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import { buildSchema, getOperationAST, getVariableValues, parse, print, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  CatalogPageDocument,
  CategoriesDocument,
  OrderDetailsDocument,
  UserOrdersDocument,
} from '../../operations/__generated__/graphql.js';
import { measureOperation } from '../src/operation-cost.js';

// The API schema clients see, as the router serves it.
const schema = buildSchema(readFileSync(join(REPO_ROOT, 'api-schema.graphql'), 'utf8'));

function measure(text: string, variables: Record<string, unknown> = {}) {
  const document = parse(text);
  const operation = getOperationAST(document)!;
  const { coerced, errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (!coerced) throw new Error(errors?.map((error) => error.message).join('; '));
  return measureOperation(schema, document, operation, coerced, { maxPageSize: 100 });
}

// An operation from operations/ as a client sends it: the typed document, with the fragments it spreads.
const operationText = (document: DocumentNode) => print(document);

describe('measureOperation: cost', () => {
  it('counts each object once per page item, and scalars nothing', () => {
    // products 1 + pageInfo 1 + 20 nodes × (node 1 + price 1)
    expect(measure('{ products { totalCount pageInfo { hasNextPage } nodes { id name price { amount } } } }').cost).toBe(42);
  });

  it('multiplies nested connections, so the cost bomb scores in the millions', () => {
    const bomb = `{ users(first: 100) { nodes { orders(first: 100) { nodes { items { product { category {
      products(first: 100) { nodes { name } } } } } } } } } }`;
    // 1 + 100 × (1 + 1 + 100 × (1 + 10 items × (1 + product (1 + category (1 + products (1 + 100 × 1))))))
    expect(measure(bomb).cost).toBe(10_410_201);
  });

  it('takes the page size from a literal, a variable, the variable default, then the schema default', () => {
    const query = (first: string) => `query ($size: Int = 7) { products${first} { nodes { id } } }`;

    expect(measure(query('(first: 3)')).cost).toBe(1 + 3);
    expect(measure(query('(first: $size)'), { size: 50 }).cost).toBe(1 + 50);
    expect(measure(query('(first: $size)')).cost).toBe(1 + 7);
    expect(measure(query('')).cost).toBe(1 + 20);
    expect(measure('{ me { orders { nodes { id } } } }').cost).toBe(1 + 1 + 10);
  });

  it('sizes a backward page by `last` exactly as a forward one by `first`, the default of `first` giving way to it', () => {
    expect(measure('{ products(last: 3) { nodes { id } } }').cost).toBe(1 + 3);
    expect(measure('query ($n: Int) { products(last: $n) { nodes { id } } }', { n: 50 }).cost).toBe(1 + 50);
    expect(measure('query ($n: Int = 7) { products(last: $n) { nodes { id } } }').cost).toBe(1 + 7);
    // `last` bound to a variable the request leaves out is no `last`: the default of `first` stands.
    expect(measure('query ($n: Int) { products(last: $n) { nodes { id } } }').cost).toBe(1 + 20);
    expect(measure('{ me { orders(last: 4) { nodes { id } } } }').cost).toBe(1 + 1 + 4);
    const bomb = `{ users(last: 100) { nodes { orders(last: 100) { nodes { items { product { category {
      products(last: 100) { nodes { name } } } } } } } } } }`;
    expect(measure(bomb).cost).toBe(10_410_201);
  });

  it('costs `first` and `last` given together, which the subgraph refuses, by the larger', () => {
    expect(measure('{ products(first: 3, last: 40) { nodes { id } } }').cost).toBe(1 + 40);
    expect(measure('query ($n: Int) { products(first: $n, last: 2) { nodes { id } } }', { n: 30 }).cost).toBe(1 + 30);
  });

  it('sizes edges like nodes, and pays for each', () => {
    expect(measure('{ products(first: 5) { edges { cursor node { id } } nodes { id } } }').cost).toBe(1 + 5 * 2 + 5);
  });

  it('assumes 10 items for a list without a page size', () => {
    expect(measure('{ categories { id name } }').cost).toBe(10);
    expect(measure('query ($id: ID!) { order(id: $id) { items { quantity } } }', { id: '1' }).cost).toBe(1 + 10);
  });

  it('expands fragments and inline fragments where they are spread, inside a connection too', () => {
    const text = `
      query { products(first: 30) { ...Page } me { ... on User { orders(first: 4) { nodes { id } } } } }
      fragment Page on ProductConnection { nodes { ...Card } }
      fragment Card on Product { category { name } }`;

    expect(measure(text).cost).toBe(1 + 30 * (1 + 1) + 1 + 1 + 4);
  });

  it('costs a fragment spread at every level without exponential work', () => {
    // Each fragment spreads the next twice: 2^30 spreads of F30. Expanding them one by one would not
    // finish within the test's timeout; costing each fragment once does.
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} }`).join('\n');
    const text = `{ product(id: "1") { ...F0 } }\n${fragments}\nfragment F30 on Product { category { id } }`;

    expect(measure(text).cost).toBe(1 + 2 ** 30);
  });

  it('adds 10 per mutation field', () => {
    const text = 'mutation { login(input: { email: "a@example.com", password: "x" }) { accessToken user { id } } }';
    expect(measure(text).cost).toBe(1 + 10 + 1);
  });

  it('ignores __typename and introspection', () => {
    expect(measure('{ __typename categories { __typename id } }').cost).toBe(10);
  });

  it('scores every operation in operations/ far below the default limit of 10000, even with full pages', () => {
    expect(measure(operationText(UserOrdersDocument), { userId: '1' }).cost).toBe(313);
    expect(measure(operationText(UserOrdersDocument), { userId: '1', first: 100 }).cost).toBe(6203);
    expect(measure(operationText(CatalogPageDocument)).cost).toBe(82);
    expect(measure(operationText(CatalogPageDocument), { first: 100 }).cost).toBe(402);
    expect(measure(operationText(CategoriesDocument)).cost).toBe(100);
    expect(measure(operationText(CategoriesDocument), { productsPerCategory: 100 }).cost).toBe(2020);
    expect(measure(operationText(OrderDetailsDocument), { orderId: '1' }).cost).toBe(43);
  });
});

describe('measureOperation: page sizes', () => {
  it.each(['first', 'last'] as const)(
    'reports the largest `%s` and where it is, from literals and variables alike',
    (argument) => {
      expect(measure(`{ products(${argument}: 101) { totalCount } }`).largestPage).toEqual({
        argument,
        size: 101,
        path: 'products',
      });
      const query = `query ($n: Int) { categories { products(${argument}: $n) { totalCount } } }`;
      expect(measure(query, { n: 250 }).largestPage).toEqual({ argument, size: 250, path: 'categories.products' });
    },
  );

  it('reports the larger of `first` and `last` given together, naming it', () => {
    expect(measure('{ products(first: 5, last: 101) { totalCount } }').largestPage).toEqual({
      argument: 'last',
      size: 101,
      path: 'products',
    });
    expect(measure('{ products(first: 500, last: 101) { totalCount } }').largestPage).toMatchObject({
      argument: 'first',
      size: 500,
    });
  });

  it('finds a `first` inside a fragment and a nested connection', () => {
    const text = `query ($n: Int!) { me { ...Orders } }
      fragment Orders on User { orders(first: 5) { nodes { items { product { category { products(first: $n) { totalCount } } } } } } }`;

    expect(measure(text, { n: 1000 }).largestPage).toEqual({
      argument: 'first',
      size: 1000,
      path: 'me.orders.nodes.items.product.category.products',
    });
  });

  it('uses a variable default and a schema default when `first` is not given', () => {
    expect(measure('query ($n: Int = 120) { products(first: $n) { totalCount } }').largestPage?.size).toBe(120);
    expect(measure('{ products { totalCount } }').largestPage?.size).toBe(20);
    expect(measure('{ categories { id } }').largestPage).toBeNull();
  });
});

/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation CancelOrder($orderId: ID!) {\n  cancelOrder(id: $orderId) {\n    id\n    status\n    cancellationReason\n    statusHistory {\n      status\n      at\n      reason\n    }\n  }\n}": typeof types.CancelOrderDocument,
    "query CatalogPage($first: Int = 20, $after: String, $filter: ProductFilter) {\n  products(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ProductSummary\n        category {\n          id\n          slug\n        }\n      }\n    }\n  }\n}": typeof types.CatalogPageDocument,
    "query Categories($productsPerCategory: Int = 4) {\n  categories {\n    id\n    name\n    slug\n    products(first: $productsPerCategory) {\n      totalCount\n      nodes {\n        id\n        name\n        price {\n          amount\n          currency\n        }\n      }\n    }\n  }\n}": typeof types.CategoriesDocument,
    "mutation Checkout($items: [OrderItemInput!]!, $idempotencyKey: String!, $paymentToken: String!) {\n  createOrder(\n    input: {items: $items, idempotencyKey: $idempotencyKey, paymentToken: $paymentToken}\n  ) {\n    ...OrderSummary\n    items {\n      ...OrderLine\n      product {\n        id\n        name\n        stock\n      }\n    }\n  }\n}": typeof types.CheckoutDocument,
    "mutation Login($email: String!, $password: String!) {\n  login(input: {email: $email, password: $password}) {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n    user {\n      id\n      name\n      email\n      role\n    }\n  }\n}": typeof types.LoginDocument,
    "mutation Logout($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken}) {\n    loggedOut\n  }\n}": typeof types.LogoutDocument,
    "query OrderDetails($orderId: ID!) {\n  order(id: $orderId) {\n    ...OrderSummary\n    user {\n      id\n      name\n    }\n    items {\n      ...OrderLine\n      product {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.OrderDetailsDocument,
    "query OrderHistory($first: Int = 10, $after: String) {\n  me {\n    id\n    name\n    orders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...OrderSummary\n        items {\n          quantity\n          product {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n}": typeof types.OrderHistoryDocument,
    "query ProductDetails($id: ID!) {\n  product(id: $id) {\n    ...ProductSummary\n    description\n    category {\n      id\n      name\n    }\n  }\n}": typeof types.ProductDetailsDocument,
    "mutation RefreshToken($refreshToken: String!) {\n  refreshToken(input: {refreshToken: $refreshToken}) {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n  }\n}": typeof types.RefreshTokenDocument,
    "query UserOrders($userId: ID!, $first: Int = 5, $after: String) {\n  user(id: $userId) {\n    id\n    name\n    orders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...OrderSummary\n        items {\n          ...OrderLine\n          product {\n            id\n            name\n            sku\n            price {\n              amount\n              currency\n            }\n            category {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n}": typeof types.UserOrdersDocument,
    "fragment ProductSummary on Product {\n  id\n  name\n  sku\n  stock\n  inStock\n  price {\n    amount\n    currency\n  }\n}\n\nfragment OrderSummary on Order {\n  id\n  status\n  createdAt\n  total {\n    amount\n    currency\n  }\n}\n\nfragment OrderLine on OrderItem {\n  quantity\n  unitPrice {\n    amount\n    currency\n  }\n  lineTotal {\n    amount\n    currency\n  }\n}": typeof types.ProductSummaryFragmentDoc,
};
const documents: Documents = {
    "mutation CancelOrder($orderId: ID!) {\n  cancelOrder(id: $orderId) {\n    id\n    status\n    cancellationReason\n    statusHistory {\n      status\n      at\n      reason\n    }\n  }\n}": types.CancelOrderDocument,
    "query CatalogPage($first: Int = 20, $after: String, $filter: ProductFilter) {\n  products(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ProductSummary\n        category {\n          id\n          slug\n        }\n      }\n    }\n  }\n}": types.CatalogPageDocument,
    "query Categories($productsPerCategory: Int = 4) {\n  categories {\n    id\n    name\n    slug\n    products(first: $productsPerCategory) {\n      totalCount\n      nodes {\n        id\n        name\n        price {\n          amount\n          currency\n        }\n      }\n    }\n  }\n}": types.CategoriesDocument,
    "mutation Checkout($items: [OrderItemInput!]!, $idempotencyKey: String!, $paymentToken: String!) {\n  createOrder(\n    input: {items: $items, idempotencyKey: $idempotencyKey, paymentToken: $paymentToken}\n  ) {\n    ...OrderSummary\n    items {\n      ...OrderLine\n      product {\n        id\n        name\n        stock\n      }\n    }\n  }\n}": types.CheckoutDocument,
    "mutation Login($email: String!, $password: String!) {\n  login(input: {email: $email, password: $password}) {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n    user {\n      id\n      name\n      email\n      role\n    }\n  }\n}": types.LoginDocument,
    "mutation Logout($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken}) {\n    loggedOut\n  }\n}": types.LogoutDocument,
    "query OrderDetails($orderId: ID!) {\n  order(id: $orderId) {\n    ...OrderSummary\n    user {\n      id\n      name\n    }\n    items {\n      ...OrderLine\n      product {\n        id\n        name\n      }\n    }\n  }\n}": types.OrderDetailsDocument,
    "query OrderHistory($first: Int = 10, $after: String) {\n  me {\n    id\n    name\n    orders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...OrderSummary\n        items {\n          quantity\n          product {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n}": types.OrderHistoryDocument,
    "query ProductDetails($id: ID!) {\n  product(id: $id) {\n    ...ProductSummary\n    description\n    category {\n      id\n      name\n    }\n  }\n}": types.ProductDetailsDocument,
    "mutation RefreshToken($refreshToken: String!) {\n  refreshToken(input: {refreshToken: $refreshToken}) {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n  }\n}": types.RefreshTokenDocument,
    "query UserOrders($userId: ID!, $first: Int = 5, $after: String) {\n  user(id: $userId) {\n    id\n    name\n    orders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...OrderSummary\n        items {\n          ...OrderLine\n          product {\n            id\n            name\n            sku\n            price {\n              amount\n              currency\n            }\n            category {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n}": types.UserOrdersDocument,
    "fragment ProductSummary on Product {\n  id\n  name\n  sku\n  stock\n  inStock\n  price {\n    amount\n    currency\n  }\n}\n\nfragment OrderSummary on Order {\n  id\n  status\n  createdAt\n  total {\n    amount\n    currency\n  }\n}\n\nfragment OrderLine on OrderItem {\n  quantity\n  unitPrice {\n    amount\n    currency\n  }\n  lineTotal {\n    amount\n    currency\n  }\n}": types.ProductSummaryFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CancelOrder($orderId: ID!) {\n  cancelOrder(id: $orderId) {\n    id\n    status\n    cancellationReason\n    statusHistory {\n      status\n      at\n      reason\n    }\n  }\n}"): (typeof documents)["mutation CancelOrder($orderId: ID!) {\n  cancelOrder(id: $orderId) {\n    id\n    status\n    cancellationReason\n    statusHistory {\n      status\n      at\n      reason\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CatalogPage($first: Int = 20, $after: String, $filter: ProductFilter) {\n  products(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ProductSummary\n        category {\n          id\n          slug\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query CatalogPage($first: Int = 20, $after: String, $filter: ProductFilter) {\n  products(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ProductSummary\n        category {\n          id\n          slug\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Categories($productsPerCategory: Int = 4) {\n  categories {\n    id\n    name\n    slug\n    products(first: $productsPerCategory) {\n      totalCount\n      nodes {\n        id\n        name\n        price {\n          amount\n          currency\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Categories($productsPerCategory: Int = 4) {\n  categories {\n    id\n    name\n    slug\n    products(first: $productsPerCategory) {\n      totalCount\n      nodes {\n        id\n        name\n        price {\n          amount\n          currency\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Checkout($items: [OrderItemInput!]!, $idempotencyKey: String!, $paymentToken: String!) {\n  createOrder(\n    input: {items: $items, idempotencyKey: $idempotencyKey, paymentToken: $paymentToken}\n  ) {\n    ...OrderSummary\n    items {\n      ...OrderLine\n      product {\n        id\n        name\n        stock\n      }\n    }\n  }\n}"): (typeof documents)["mutation Checkout($items: [OrderItemInput!]!, $idempotencyKey: String!, $paymentToken: String!) {\n  createOrder(\n    input: {items: $items, idempotencyKey: $idempotencyKey, paymentToken: $paymentToken}\n  ) {\n    ...OrderSummary\n    items {\n      ...OrderLine\n      product {\n        id\n        name\n        stock\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($email: String!, $password: String!) {\n  login(input: {email: $email, password: $password}) {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n    user {\n      id\n      name\n      email\n      role\n    }\n  }\n}"): (typeof documents)["mutation Login($email: String!, $password: String!) {\n  login(input: {email: $email, password: $password}) {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n    user {\n      id\n      name\n      email\n      role\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken}) {\n    loggedOut\n  }\n}"): (typeof documents)["mutation Logout($refreshToken: String!) {\n  logout(input: {refreshToken: $refreshToken}) {\n    loggedOut\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderDetails($orderId: ID!) {\n  order(id: $orderId) {\n    ...OrderSummary\n    user {\n      id\n      name\n    }\n    items {\n      ...OrderLine\n      product {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query OrderDetails($orderId: ID!) {\n  order(id: $orderId) {\n    ...OrderSummary\n    user {\n      id\n      name\n    }\n    items {\n      ...OrderLine\n      product {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderHistory($first: Int = 10, $after: String) {\n  me {\n    id\n    name\n    orders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...OrderSummary\n        items {\n          quantity\n          product {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query OrderHistory($first: Int = 10, $after: String) {\n  me {\n    id\n    name\n    orders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...OrderSummary\n        items {\n          quantity\n          product {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductDetails($id: ID!) {\n  product(id: $id) {\n    ...ProductSummary\n    description\n    category {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query ProductDetails($id: ID!) {\n  product(id: $id) {\n    ...ProductSummary\n    description\n    category {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RefreshToken($refreshToken: String!) {\n  refreshToken(input: {refreshToken: $refreshToken}) {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n  }\n}"): (typeof documents)["mutation RefreshToken($refreshToken: String!) {\n  refreshToken(input: {refreshToken: $refreshToken}) {\n    accessToken\n    accessTokenExpiresAt\n    refreshToken\n    refreshTokenExpiresAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UserOrders($userId: ID!, $first: Int = 5, $after: String) {\n  user(id: $userId) {\n    id\n    name\n    orders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...OrderSummary\n        items {\n          ...OrderLine\n          product {\n            id\n            name\n            sku\n            price {\n              amount\n              currency\n            }\n            category {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query UserOrders($userId: ID!, $first: Int = 5, $after: String) {\n  user(id: $userId) {\n    id\n    name\n    orders(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ...OrderSummary\n        items {\n          ...OrderLine\n          product {\n            id\n            name\n            sku\n            price {\n              amount\n              currency\n            }\n            category {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ProductSummary on Product {\n  id\n  name\n  sku\n  stock\n  inStock\n  price {\n    amount\n    currency\n  }\n}\n\nfragment OrderSummary on Order {\n  id\n  status\n  createdAt\n  total {\n    amount\n    currency\n  }\n}\n\nfragment OrderLine on OrderItem {\n  quantity\n  unitPrice {\n    amount\n    currency\n  }\n  lineTotal {\n    amount\n    currency\n  }\n}"): (typeof documents)["fragment ProductSummary on Product {\n  id\n  name\n  sku\n  stock\n  inStock\n  price {\n    amount\n    currency\n  }\n}\n\nfragment OrderSummary on Order {\n  id\n  status\n  createdAt\n  total {\n    amount\n    currency\n  }\n}\n\nfragment OrderLine on OrderItem {\n  quantity\n  unitPrice {\n    amount\n    currency\n  }\n  lineTotal {\n    amount\n    currency\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
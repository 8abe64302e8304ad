import { createHash } from 'node:crypto';
import { ApolloClient, CombinedGraphQLErrors, gql, HttpLink, InMemoryCache, type ApolloLink } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';
import { createDemoOrders, DEMO_CUSTOMER_EMAIL, getDemoCustomerId, parseSeedOptions } from '@supergraph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginDocument, UserOrdersDocument } from '../../operations/__generated__/graphql.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import { listedOperation, PERSISTED_QUERY_LIST_PATH, persistedQueryList } from './support/persisted-query-list.js';
import type { ServiceProcess } from './support/processes.js';
import { startStack, type Stack } from './support/stack.js';

// Apollo Client 4 as a frontend uses it, in Node against the real stack: its stock persisted-query
// link with the persisted query list against a safelisting router, automatic persisted queries
// against the default one, and the router's refusals as the GraphQL errors Apollo Client reports.

const idOf = (name: string) => listedOperation(name).id;

const seedArgs = ['--customers', '4', '--products', '40', '--orders', '30'];
const seed = parseSeedOptions(seedArgs);
const customerId = getDemoCustomerId(seed);
const customerOrders = createDemoOrders(seed).filter((order) => order.userId === customerId);

let stack: Stack;
let safelistRouter: ServiceProcess;

beforeAll(async () => {
  stack = await startStack({ dialect: 'sqlite', seedArgs });
  safelistRouter = await stack.startRouter({
    PERSISTED_OPERATIONS: 'safelist',
    PERSISTED_OPERATIONS_MANIFEST: PERSISTED_QUERY_LIST_PATH,
  });
});

afterAll(async () => {
  await stack?.stop();
});

/** An Apollo Client for `router`, recording the JSON body of every request it sends. */
function createClient(router: ServiceProcess, links: ApolloLink[] = []) {
  const sent: { query?: string; operationName?: string; extensions?: { persistedQuery?: { sha256Hash: string } } }[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    sent.push(JSON.parse(init?.body as string) as (typeof sent)[number]);
    return fetch(input, init);
  };
  const http = new HttpLink({ uri: router.url, fetch: recordingFetch });
  const client = new ApolloClient({
    link: links.length ? links.reduceRight((next, link) => link.concat(next), http) : http,
    cache: new InMemoryCache(),
  });
  return { client, sent };
}

const safelistLink = () =>
  new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => Promise.resolve(persistedQueryList) }));

async function signIn(client: ApolloClient): Promise<string> {
  const { data } = await client.mutate({
    mutation: LoginDocument,
    variables: { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD },
  });
  return data!.login.accessToken;
}

/** Signs the customer in, then runs the join (UserOrders) for their first `first` orders with the token. */
async function signInAndReadOrders(client: ApolloClient, first: number) {
  const token = await signIn(client);
  const { data } = await client.query({
    query: UserOrdersDocument,
    variables: { userId: customerId, first },
    context: { headers: { authorization: `Bearer ${token}` } },
  });
  return data;
}

describe('Apollo Client with its persisted-query link against the safelist', () => {
  it('signs in and runs the join by id alone, and its cache normalizes every User, Order, Product and Category', async () => {
    const { client, sent } = createClient(safelistRouter, [safelistLink()]);

    const data = await signInAndReadOrders(client, 5);

    expect(data?.user?.orders?.totalCount).toBe(customerOrders.length);
    expect(data?.user?.orders?.nodes.length).toBe(Math.min(5, customerOrders.length));
    // Only ids went over the wire: the router ran the listed bodies.
    expect(sent).toEqual([
      {
        operationName: 'Login',
        variables: expect.any(Object),
        extensions: expect.objectContaining({ persistedQuery: { version: 1, sha256Hash: idOf('Login') } }),
      },
      {
        operationName: 'UserOrders',
        variables: expect.any(Object),
        extensions: expect.objectContaining({ persistedQuery: { version: 1, sha256Hash: idOf('UserOrders') } }),
      },
    ]);

    const cache = client.cache.extract() as Record<string, Record<string, unknown>>;
    const keys = Object.keys(cache);
    expect(keys).toContain(`User:${customerId}`);
    for (const typename of ['Order', 'Product', 'Category']) {
      expect(
        keys.some((key) => key.startsWith(`${typename}:`)),
        typename,
      ).toBe(true);
    }
    const firstOrder = data!.user!.orders!.nodes[0]!;
    expect(cache[`Order:${firstOrder.id}`]?.items).toEqual(
      firstOrder.items.map((item) => expect.objectContaining({ product: { __ref: `Product:${item.product!.id}` } })),
    );
  });

  it('reports an operation off the list as a GraphQL error with PERSISTED_QUERY_NOT_IN_SAFELIST, not a network failure', async () => {
    const { client } = createClient(safelistRouter);

    const error = await client
      .query({
        query: gql`
          query Unlisted {
            categories {
              id
            }
          }
        `,
      })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );

    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    expect((error as CombinedGraphQLErrors).errors.map((graphQLError) => graphQLError.extensions?.code)).toEqual([
      'PERSISTED_QUERY_NOT_IN_SAFELIST',
    ]);
  });
});

describe('Apollo Client against the default router', () => {
  it("runs the persisted query list's ids without the safelist too, fragments and all (as the storefront does under npm start)", async () => {
    const { client, sent } = createClient(stack.router, [safelistLink()]);

    const data = await signInAndReadOrders(client, 2);

    expect(data?.user?.orders?.totalCount).toBe(customerOrders.length);
    expect(sent.map((body) => [body.operationName, body.query])).toEqual([
      ['Login', undefined],
      ['UserOrders', undefined],
    ]);
  });

  it('registers a query by hash through automatic persisted queries, then sends the hash alone', async () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const query = gql`
      query ApqCategories {
        categories {
          id
          slug
        }
      }
    `;
    const first = createClient(stack.router, [new PersistedQueryLink({ sha256 })]);
    const second = createClient(stack.router, [new PersistedQueryLink({ sha256 })]);

    const registered = await first.client.query({ query });
    const byHash = await second.client.query({ query });

    expect(byHash.data).toEqual(registered.data);
    expect(first.sent.map((body) => [Boolean(body.extensions?.persistedQuery), body.query !== undefined])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(second.sent.map((body) => body.query)).toEqual([undefined]);
  });

  it('reports a bad access token as a GraphQL error with UNAUTHENTICATED (HTTP 401 in application/graphql-response+json)', async () => {
    const { client } = createClient(stack.router);

    const error = await client
      .query({
        query: UserOrdersDocument,
        variables: { userId: customerId },
        context: { headers: { authorization: 'Bearer not-a-token' } },
      })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );

    expect(CombinedGraphQLErrors.is(error)).toBe(true);
    expect((error as CombinedGraphQLErrors).errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

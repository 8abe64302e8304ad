import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  DEMO_CUSTOMER_EMAIL,
  createDemoOrders,
  createDemoUsers,
  getDemoCustomerId,
  getDemoUserId,
  parseSeedOptions,
} from '@supergraph/demo-data';
import { createAccessTokenIssuer } from '@supergraph/server-kit/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutDocument, LoginDocument, UserOrdersDocument } from '../../operations/__generated__/graphql.js';
import { addProducts, firstError, ORDER } from './support/checkout.js';
import { DEMO_PASSWORD } from './support/example-operations.js';
import { createOperationSender, type OperationSender } from './support/graphql-client.js';
import { startHiveGateway } from './support/hive-gateway.js';
import { listedOperation } from './support/persisted-query-list.js';
import { requestIdOf, type ServiceProcess } from './support/processes.js';
import { startStack, SUBGRAPHS, type Stack } from './support/stack.js';
import { waitFor } from './support/wait-for.js';

// The committed supergraph behind Hive Gateway with the committed configuration
// (examples/hive-gateway/gateway.config.ts), started with its CLI as docs/routers.md tells a team to:
// what a client sees there, for the protections docs/routers.md marks as tested. Routing does not
// depend on the dialect: one SQLite stack.
const seedArgs = ['--customers', '4', '--products', '20', '--orders', '40'];
const seed = parseSeedOptions(seedArgs);
const customerA = { id: getDemoCustomerId(seed), role: 'CUSTOMER' as const };
const customerB = { id: getDemoUserId(seed, 2), role: 'CUSTOMER' as const };
const orderOfB = createDemoOrders(seed).find((order) => order.userId === customerB.id)!;
const emailOfB = createDemoUsers(seed).find((user) => user.id === customerB.id)!.email;
const PRODUCT = { id: 'e2e-hive-stock', stock: 100, priceMinor: 1_250 };
const ALLOWED_ORIGIN = 'https://shop.example.com';
/** The Accept header Apollo Client sends. */
const APOLLO_CLIENT_ACCEPT = 'application/graphql-response+json,application/json;q=0.9';

let stack: Stack;
let gateway: ServiceProcess;
let hive: OperationSender;
beforeAll(async () => {
  stack = await startStack({
    dialect: 'sqlite',
    seedArgs,
    beforeStart: (databases) => addProducts(databases.products, [PRODUCT]),
  });
  gateway = await startHiveGateway(stack, { CORS_ORIGINS: ALLOWED_ORIGIN });
  hive = createOperationSender(() => gateway.url);
});
afterAll(async () => {
  await gateway?.stop();
  await stack?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const asCustomer = async (viewer: { id: string; role: 'CUSTOMER' }) => bearer((await stack.keys.issue(viewer)).token);
const codesOf = (body: { errors?: { extensions?: { code?: string } }[] }) =>
  body.errors?.map((error) => error.extensions?.code) ?? [];

describe('the supergraph behind Hive Gateway', () => {
  it('joins users, orders and products in one request, with the same answer as our router', async () => {
    const headers = await asCustomer(customerA);
    const requestId = `hive-join-${randomUUID()}`;
    const { status, body } = await hive(UserOrdersDocument, { userId: customerA.id }, { ...headers, 'x-request-id': requestId });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const orders = body.data?.user?.orders?.nodes ?? [];
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.flatMap((order) => order.items.map((line) => line.product?.name)).every(Boolean)).toBe(true);
    expect(body).toEqual((await stack.query(UserOrdersDocument, { userId: customerA.id }, headers)).body);
    // The request id reaches every subgraph, so one request can be followed through their logs.
    for (const name of SUBGRAPHS) {
      await stack.subgraphs[name].waitForLog(`the access log line of ${requestId}`, (line) => requestIdOf(line) === requestId);
    }
  });

  it('signs in: login answers a token that the gateway and the subgraphs accept', async () => {
    // A busy machine may answer OVERLOADED (retryable): sent again, as a client would.
    const login = await waitFor(
      async () => {
        const answer = await hive(LoginDocument, { email: DEMO_CUSTOMER_EMAIL, password: DEMO_PASSWORD });
        return codesOf(answer.body).includes('OVERLOADED') ? null : answer;
      },
      { what: 'a login that is not OVERLOADED', timeout: 30_000, interval: 1_000 },
    );
    expect(login.body.errors).toBeUndefined();
    const me = await hive('{ me { id } }', {}, bearer(login.body.data!.login.accessToken));
    expect(me.body).toEqual({ data: { me: { id: customerA.id } } });
  });

  it('places a paid order through checkout', async () => {
    const { status, body } = await hive(
      CheckoutDocument,
      { items: [{ productId: PRODUCT.id, quantity: 2 }], idempotencyKey: randomUUID(), paymentToken: 'tok_visa' },
      await asCustomer(customerA),
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.createOrder).toMatchObject({ status: 'CONFIRMED', items: [{ quantity: 2, product: { id: PRODUCT.id } }] });
    const charges = await stack.sandboxCharges(body.data!.createOrder.id);
    expect(charges.map(({ status: charge, amount }) => ({ charge, amount }))).toEqual([
      { charge: 'succeeded', amount: 2 * PRODUCT.priceMinor },
    ]);
  });

  it('answers a declined card with PAYMENT_DECLINED and the cancelled order', async () => {
    const headers = await asCustomer(customerA);
    const { body } = await hive(
      CheckoutDocument,
      { items: [{ productId: PRODUCT.id, quantity: 1 }], idempotencyKey: randomUUID(), paymentToken: 'tok_chargeDeclined' },
      headers,
    );
    expect(body.data).toBeNull();
    expect(firstError(body).extensions).toMatchObject({ code: 'PAYMENT_DECLINED', orderId: expect.any(String) });
    const orderId = firstError(body).extensions!.orderId as string;
    const { body: order } = await hive(ORDER, { id: orderId }, headers);
    expect(order.data.order).toMatchObject({ id: orderId, status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
  });

  it('refuses page sizes above 100: in the subgraph naming the argument, or first for the cost when it is huge', async () => {
    // 101 costs 102 (under the gateway's 10000), so the products subgraph is asked and refuses it.
    const { body } = await hive('{ products(first: 101) { nodes { id } } }');
    expect(body.data?.products ?? null).toBeNull();
    expect(firstError(body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });

    const huge = await hive('{ products(first: 10000) { nodes { id } } }');
    expect(huge.body.data?.products ?? null).toBeNull();
    expect(codesOf(huge.body)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
  });
});

describe('access behind Hive Gateway', () => {
  const PRIVATE = `#graphql\nquery ($id: ID!) { user(id: $id) { id name email orders(first: 5) { totalCount nodes { id } } } }`;

  it("gives an anonymous caller UNAUTHENTICATED and null for a user's email and orders", async () => {
    const { body } = await hive(PRIVATE, { id: customerB.id });
    expect(body.data?.user ?? null).toBeNull();
    expect(codesOf(body)).toContain('UNAUTHENTICATED');
    expect(JSON.stringify(body)).not.toContain('@');
    expect(JSON.stringify(body)).not.toContain(orderOfB.id);
  });

  it("gives one customer FORBIDDEN and null for another's profile and orders", async () => {
    const { body } = await hive(PRIVATE, { id: customerB.id }, await asCustomer(customerA));
    expect(body.data?.user ?? null).toBeNull();
    expect(codesOf(body)).toContain('FORBIDDEN');
    expect(JSON.stringify(body)).not.toContain(orderOfB.id);
  });
});

describe('login throttling behind Hive Gateway (in the users service)', () => {
  it('answers wrong passwords for one account past its budget of 5 with RATE_LIMITED and when to retry', async () => {
    // At once, so that no token refills between attempts however slow the machine: each attempt is
    // charged before its password is hashed. (A hash that waits too long for its turn is OVERLOADED.)
    const answers = await Promise.all(
      Array.from({ length: 7 }, () => hive(LoginDocument, { email: emailOfB, password: 'not-the-password' })),
    );
    // The account's 5 and no more; the address budget (10, shared with the other logins here) may refuse more.
    const limited = answers.filter((answer) => codesOf(answer.body).includes('RATE_LIMITED'));
    expect(limited.length).toBeGreaterThanOrEqual(2);
    for (const { headers, body } of limited) {
      expect(body.data?.login ?? null).toBeNull();
      expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
      expect(firstError(body).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    }
    for (const { body } of answers.filter((answer) => !limited.includes(answer))) {
      expect(body.data?.login ?? null).toBeNull();
      expect(['UNAUTHENTICATED', 'OVERLOADED']).toContain(firstError(body).extensions?.code);
    }
    // The gateway named the client's address, so clients do not share the gateway's own budget.
    expect(stack.subgraphs.users.logs.filter((line) => line.msg?.includes('without x-client-address'))).toEqual([]);
  });
});

describe('bad access tokens at Hive Gateway', () => {
  const issueWith = (privateKey: Parameters<typeof createAccessTokenIssuer>[0]['privateKey'], ttlSeconds: number) =>
    createAccessTokenIssuer({ privateKey, issuer: 'supergraph-users', audience: 'supergraph', ttlSeconds })(customerA);

  async function expectRefused(authorization: string) {
    const before = await stack.subgraphOperations();
    const { status, headers, body } = await hive('{ me { id } }', {}, { authorization });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      { message: expect.stringMatching(/access token is invalid/), extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(await stack.subgraphOperations()).toBe(before);
  }

  it('refuses a token signed by another key with 401 UNAUTHENTICATED', async () => {
    const { token } = await issueWith(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 900);
    await expectRefused(`Bearer ${token}`);
  });

  it('refuses an expired token with 401 UNAUTHENTICATED', async () => {
    const { token } = await issueWith(stack.keys.privateKey, -60);
    await expectRefused(`Bearer ${token}`);
  });

  it('refuses a malformed token or Authorization header with 401 UNAUTHENTICATED', async () => {
    await expectRefused('Bearer not-a-token');
    await expectRefused('Basic YWRtaW46YWRtaW4=');
  });
});

describe('request limits at Hive Gateway', () => {
  /**
   * Sends an operation as Apollo Client does and expects it refused with `status` and `code` before
   * any subgraph is called. (To a client that accepts only application/json, the gateway answers a
   * document it cannot parse, TOO_MANY_TOKENS among them, with 200, as the GraphQL over HTTP spec has it.)
   */
  async function expectRefused(query: string, status: number, code: string) {
    const before = await stack.subgraphOperations();
    const response = await hive(query, {}, { accept: APOLLO_CLIENT_ACCEPT });
    expect(response.status).toBe(status);
    expect(response.body.data ?? null).toBeNull();
    expect(codesOf(response.body)).toEqual([code]);
    expect(await stack.subgraphOperations()).toBe(before);
  }

  it('refuses an operation deeper than 10 fields with 400 QUERY_TOO_DEEP', async () => {
    const nested = (levels: number): string =>
      levels === 0 ? 'id' : `category { products(first: 1) { nodes { ${nested(levels - 1)} } } }`;
    await expectRefused(`{ products(first: 1) { nodes { ${nested(3)} } } }`, 400, 'QUERY_TOO_DEEP');
  });

  it('refuses more than 15 aliases with 400 TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 16 }, (_, index) => `p${index}: products(first: 1) { totalCount }`).join(' ');
    await expectRefused(`{ ${aliases} }`, 400, 'TOO_MANY_ALIASES');
  });

  it('refuses an operation of more than 1000 tokens with 400 TOO_MANY_TOKENS', async () => {
    await expectRefused(`{ ${'__typename '.repeat(1001)} }`, 400, 'TOO_MANY_TOKENS');
  });

  it('refuses an operation estimated above 10000 (@listSize) with COST_ESTIMATED_TOO_EXPENSIVE', async () => {
    // 100 products, each with its category's first 100: 10,301 by the subgraph schemas' @listSize.
    const query = '{ products(first: 100) { nodes { category { products(first: 100) { nodes { id } } } } } }';
    await expectRefused(query, 200, 'COST_ESTIMATED_TOO_EXPENSIVE');
  });

  it('refuses a request body over 100 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(101 * 1024) } }),
    });
    expect(response.status).toBe(413);
    expect(codesOf((await response.json()) as { errors?: { extensions?: { code?: string } }[] })).toEqual(['PAYLOAD_TOO_LARGE']);
  });
});

describe('a safelisting Hive Gateway (PERSISTED_OPERATIONS=safelist)', () => {
  let safelisting: ServiceProcess;
  beforeAll(async () => {
    safelisting = await startHiveGateway(stack, { PERSISTED_OPERATIONS: 'safelist' });
  });
  afterAll(async () => {
    await safelisting?.stop();
  });
  const post = async (body: object) => {
    const response = await fetch(safelisting.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
    };
  };

  it('runs a listed operation sent by its id, as Apollo Client sends it, and refuses any other', async () => {
    const { id } = listedOperation('CatalogPage');
    const listed = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: id } }, variables: { first: 2 } });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data).toMatchObject({ products: { totalCount: 21 } }); // the 20 seeded and the fixture

    const before = await stack.subgraphOperations();
    expect(codesOf((await post({ query: '{ products(first: 2) { nodes { id } } }' })).body)).toEqual([
      'CANNOT_SEND_PQ_ID_AND_BODY',
    ]);
    const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(codesOf(unknown.body)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(await stack.subgraphOperations()).toBe(before);
  });
});

describe('CORS at Hive Gateway', () => {
  const preflight = (origin: string) =>
    fetch(gateway.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });

  it('lets a listed origin send a token, and no other origin', async () => {
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);

    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.com');
  });
});

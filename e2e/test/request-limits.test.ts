import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createDemoOrders,
  createDemoProducts,
  DEMO_ADMIN_EMAIL,
  DEMO_CUSTOMER_EMAIL,
  getDemoCustomerId,
  parseSeedOptions,
} from '@supergraph/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startService, type ServiceProcess } from './support/processes.js';
import { SUBGRAPHS, startStack, type Stack } from './support/stack.js';

// The router's bounds and rate limits, through real processes. Limits do not depend on the dialect:
// one SQLite stack, with the default limits, and extra routers on the same subgraphs with small
// budgets for the rate-limit tests.
const seedArgs = ['--customers', '4', '--products', '20', '--orders', '20'];
const seed = parseSeedOptions(seedArgs);
const customer = { id: getDemoCustomerId(seed), role: 'CUSTOMER' as const };

let stack: Stack;
const extraRouters: ServiceProcess[] = [];
beforeAll(async () => {
  stack = await startStack({ dialect: 'sqlite', seedArgs });
});
afterAll(async () => {
  await Promise.all(extraRouters.map((router) => router.stop()));
  await stack?.stop();
});

/** GraphQL operations the subgraphs have handled, from their /metrics: the proof that nothing reached them. */
async function subgraphOperations(): Promise<number> {
  let total = 0;
  for (const name of SUBGRAPHS) {
    const text = await (await fetch(`${stack.subgraphs[name].origin}/metrics`)).text();
    for (const match of text.matchAll(/^graphql_operations_total\{[^}]*\} (\d+)$/gm)) total += Number(match[1]);
  }
  return total;
}

/** POSTs a raw body to a router. */
async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** Sends an operation that must be refused with `status` and `code` before any subgraph hears of it. */
async function expectRefused<TResponse extends { status: number; body: any }>(
  send: () => Promise<TResponse>,
  status: number,
  code: string,
): Promise<TResponse> {
  const before = await subgraphOperations();
  const response = await send();
  expect({ status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(response.body.data).toBeUndefined();
  expect(await subgraphOperations()).toBe(before);
  return response;
}

async function startRouter(env: Record<string, string>): Promise<ServiceProcess> {
  const router = await startService('router', 'router/src/index.ts', { ...stack.routerEnv, ...env });
  extraRouters.push(router);
  return router;
}

describe('request bounds at the router', () => {
  it('refuses a depth bomb with 400 QUERY_TOO_DEEP', async () => {
    const level = 'products { nodes { category { ';
    const query = `{ categories { ${level.repeat(5)}id${' } } }'.repeat(5)} } }`;

    const { body } = await expectRefused(() => stack.query(query), 400, 'QUERY_TOO_DEEP');
    expect(body.errors[0].message).toBe('Query depth limit of 10 exceeded, found 17.');
  });

  it('refuses an alias bomb with 400 TOO_MANY_ALIASES', async () => {
    const query = `{ ${Array.from({ length: 50 }, (_, i) => `p${i}: product(id: "${i}") { name }`).join(' ')} }`;

    await expectRefused(() => stack.query(query), 400, 'TOO_MANY_ALIASES');
  });

  it('refuses a directive bomb with 400 TOO_MANY_DIRECTIVES', async () => {
    const query = `{ categories { ${Array.from({ length: 30 }, () => 'name @skip(if: false)').join(' ')} } }`;

    await expectRefused(() => stack.query(query), 400, 'TOO_MANY_DIRECTIVES');
  });

  it('refuses a cost bomb of nested connections with 400 QUERY_TOO_COSTLY', async () => {
    const query = `{ users(first: 100) { nodes { orders(first: 100) { nodes { items { product { category {
      products(first: 100) { nodes { name } } } } } } } } } }`;

    const { body } = await expectRefused(() => stack.query(query), 400, 'QUERY_TOO_COSTLY');
    expect(body.errors[0].message).toMatch(/estimated cost is 10410201, above the limit of 10000/);
  });

  it('refuses `first: 101` with 400 PAGE_SIZE_TOO_LARGE, as a literal and as a variable', async () => {
    await expectRefused(() => stack.query('{ products(first: 101) { totalCount } }'), 400, 'PAGE_SIZE_TOO_LARGE');
    const catalog = readFileSync(join(REPO_ROOT, 'operations', 'CatalogPage.graphql'), 'utf8');
    const { body } = await expectRefused(() => stack.query(catalog, { first: 101 }), 400, 'PAGE_SIZE_TOO_LARGE');
    expect(body.errors[0].message).toBe('`first` is 101 on products; a page holds at most 100.');
  });

  it('refuses a token bomb with 400 TOO_MANY_TOKENS', async () => {
    const query = `{ categories { ${'__typename '.repeat(2000)}} }`;

    await expectRefused(() => stack.query(query), 400, 'TOO_MANY_TOKENS');
  });

  it('refuses a body above 100kb with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: `# ${'x'.repeat(101 * 1024)}\n{ categories { id } }` });

    await expectRefused(() => post(stack.router.url, body), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('runs every operation in operations/, with its usual variables and with full pages, within the limits', async () => {
    const order = createDemoOrders(seed).find((candidate) => candidate.userId === customer.id)!;
    const confirmed = createDemoOrders(seed).find(
      (candidate) => candidate.userId === customer.id && candidate.status === 'CONFIRMED' && candidate.id !== order.id,
    )!;
    const product = createDemoProducts(seed).find((candidate) => candidate.stock > 0)!;
    // SEED_PASSWORD's default, the demo accounts' password.
    const credentials = { email: DEMO_CUSTOMER_EMAIL, password: 'supergraph-demo-2026' };
    const signedIn = await stack.query(readFileSync(join(REPO_ROOT, 'operations', 'Login.graphql'), 'utf8'), credentials);
    const variables: Record<string, Record<string, unknown>[]> = {
      'UserOrders.graphql': [{ userId: customer.id }, { userId: customer.id, first: 100 }],
      'CatalogPage.graphql': [{}, { first: 100 }],
      'Categories.graphql': [{}, { productsPerCategory: 100 }],
      'OrderDetails.graphql': [{ orderId: order.id }],
      'OrderHistory.graphql': [{}, { first: 100 }],
      'Login.graphql': [credentials],
      'RefreshToken.graphql': [{ refreshToken: signedIn.body.data.login.refreshToken }],
      'Checkout.graphql': [
        { items: [{ productId: product.id, quantity: 1 }], idempotencyKey: randomUUID(), paymentToken: 'tok_visa' },
      ],
      'CancelOrder.graphql': [{ orderId: confirmed.id }],
    };
    const authorization = `Bearer ${(await stack.keys.issue(customer)).token}`;
    const files = readdirSync(join(REPO_ROOT, 'operations')).filter((file) => file.endsWith('.graphql'));
    expect(files.sort()).toEqual(Object.keys(variables).sort());
    const before = await subgraphOperations();

    for (const file of files) {
      for (const values of variables[file]!) {
        const text = readFileSync(join(REPO_ROOT, 'operations', file), 'utf8');
        const { status, headers, body } = await stack.query(text, values, { authorization });
        expect({ file, values, status, errors: body.errors }).toEqual({ file, values, status: 200, errors: undefined });
        expect(headers.get('ratelimit')).toMatch(/^limit=300, remaining=\d+, reset=\d+$/);
        expect(headers.get('ratelimit-policy')).toBe('300;w=60');
      }
    }
    // The counters the refusals above leave unchanged do count operations that pass.
    expect(await subgraphOperations()).toBeGreaterThan(before);
  });
});

const CATEGORIES = '{ categories { id } }';
const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id } }
}`;
/** A new account's registration input: an email never used and a password the users service accepts. */
const freshAccount = () => ({ email: `e2e-${randomUUID()}@example.com`, password: `pw-${randomUUID()}`, name: 'E2E Customer' });

describe('rate limits at the router', () => {
  it('answers a burst past RATE_LIMIT_PER_MINUTE with 429, Retry-After, RateLimit headers and RATE_LIMITED', async () => {
    const router = await startRouter({ RATE_LIMIT_PER_MINUTE: '5' });
    const send = () => post(router.url, JSON.stringify({ query: CATEGORIES }));
    const allowed = [];
    for (let i = 0; i < 5; i += 1) allowed.push(await send());
    expect(allowed.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(allowed.map((response) => response.headers.get('ratelimit')?.split(',')[1]?.trim())).toEqual([
      'remaining=4',
      'remaining=3',
      'remaining=2',
      'remaining=1',
      'remaining=0',
    ]);

    const refused = await expectRefused(send, 429, 'RATE_LIMITED');

    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(12);
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=5, remaining=0, reset=(59|60)$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('5;w=60');
    expect(refused.body.errors).toEqual([
      {
        message: `Too many requests: the limit is 5 per minute. Try again in ${retryAfter} s.`,
        extensions: { code: 'RATE_LIMITED', retryAfter },
      },
    ]);

    // Signing in buys no budget beyond the address's (the signed-in caller test below goes further).
    const authorization = `Bearer ${(await stack.keys.issue(customer)).token}`;
    await expectRefused(
      () => post(router.url, JSON.stringify({ query: '{ me { id } }' }), { authorization }),
      429,
      'RATE_LIMITED',
    );
  });

  it('charges a signed-in caller to their IP’s bucket and their own: fresh accounts buy no budget, many IPs no more either', async () => {
    // TRUST_PROXY on loopback: each request comes "from" the address its X-Forwarded-For names.
    const router = await startRouter({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    const from = (ip: string, authorization?: string) => ({ 'x-forwarded-for': ip, ...(authorization ? { authorization } : {}) });
    const me = (headers: Record<string, string>) => post(router.url, JSON.stringify({ query: '{ me { id } }' }), headers);
    // Two accounts registered through the router, from an address of their own.
    const accounts: { id: string; authorization: string }[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { status, body } = await post(
        router.url,
        JSON.stringify({ query: REGISTER, variables: { input: freshAccount() } }),
        from('203.0.113.10'),
      );
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      accounts.push({ id: body.data.register.user.id, authorization: `Bearer ${body.data.register.accessToken}` });
    }

    // One address: an anonymous request, then one per account. Each is charged to the address too.
    const address = '203.0.113.20';
    expect((await post(router.url, JSON.stringify({ query: CATEGORIES }), from(address))).status).toBe(200);
    expect((await me(from(address, accounts[0]!.authorization))).body.data).toEqual({ me: { id: accounts[0]!.id } });
    const last = await me(from(address, accounts[1]!.authorization));
    expect(last.body.data).toEqual({ me: { id: accounts[1]!.id } });
    // The tighter bucket is the one reported: the address's is empty, the user's has 2 left.
    expect(last.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=(59|60)$/);

    const refused = await expectRefused(() => me(from(address, accounts[0]!.authorization)), 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=(59|60)$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(refused.body.errors[0].message).toMatch(/^Too many requests: the limit is 3 per minute\. Try again in \d+ s\.$/);

    // And one user over many addresses: 1 request above, 2 more, then the user's own bucket is empty.
    for (const ip of ['203.0.113.30', '203.0.113.31']) expect((await me(from(ip, accounts[0]!.authorization))).status).toBe(200);
    const overUser = await expectRefused(() => me(from('203.0.113.32', accounts[0]!.authorization)), 429, 'RATE_LIMITED');
    expect(overUser.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
  });

  it('limits login attempts per account, whatever the caller, and leaves other accounts alone', async () => {
    // A high budget per IP, so the per-account limit is the one that bites (every request here comes from 127.0.0.1).
    const router = await startRouter({ LOGIN_RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '1000' });
    const login = 'mutation Login($input: LoginInput!) { login(input: $input) { accessToken } }';
    const attempt = (email: string) =>
      post(router.url, JSON.stringify({ query: login, variables: { input: { email, password: 'not-the-password' } } }));

    for (let i = 0; i < 3; i += 1) {
      const { status, body } = await attempt(DEMO_CUSTOMER_EMAIL);
      expect({ status, code: body.errors[0].extensions.code }).toEqual({ status: 200, code: 'UNAUTHENTICATED' });
    }

    // The same account, spelt differently and as a literal: still the same bucket, and the users service never hears of it.
    const literal = `mutation { login(input: { email: "${DEMO_CUSTOMER_EMAIL.toUpperCase()}", password: "x" }) { accessToken } }`;
    const refused = await expectRefused(() => post(router.url, JSON.stringify({ query: literal })), 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(refused.body.errors[0].message).toMatch(/^Too many login attempts for this account: the limit is 3 per minute\./);

    const other = await attempt(DEMO_ADMIN_EMAIL);
    expect({ status: other.status, code: other.body.errors[0].extensions.code }).toEqual({
      status: 200,
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses an operation carrying several account mutations (15 aliases, 16 logins) with 400 before the users service runs one', async () => {
    const spray = `mutation { ${Array.from(
      { length: 16 },
      (_, i) =>
        `${i === 0 ? '' : `a${i}: `}login(input: { email: "spray-${i}@example.com", password: "not-the-password" }) { accessToken }`,
    ).join(' ')} }`;

    const { body, headers } = await expectRefused(() => stack.query(spray), 400, 'TOO_MANY_ACCOUNT_MUTATIONS');

    expect(body.errors).toEqual([
      {
        message: 'The operation has 16 account mutations (register, login, refreshToken, changePassword); send one per request.',
        extensions: { code: 'TOO_MANY_ACCOUNT_MUTATIONS', limit: 1 },
      },
    ]);
    expect(headers.get('ratelimit')).toMatch(/^limit=300, remaining=\d+, reset=\d+$/);
    const mixed = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken }
      refreshToken(input: { refreshToken: "not-a-token" }) { accessToken } }`;
    await expectRefused(() => stack.query(mixed, { input: freshAccount() }), 400, 'TOO_MANY_ACCOUNT_MUTATIONS');
  });

  it('charges every register, login and refreshToken to the client IP’s AUTH_RATE_LIMIT_PER_MINUTE bucket, new emails or not', async () => {
    // A high budget per request, so the auth bucket is the one that bites (every request here comes from 127.0.0.1).
    const router = await startRouter({ AUTH_RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '1000' });
    const send = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
      post(router.url, JSON.stringify({ query, variables }), headers);
    const login = 'mutation Login($input: LoginInput!) { login(input: $input) { accessToken } }';

    // Three account operations, each for an account never seen before: no account's own bucket fills.
    const registered = await send(REGISTER, { input: freshAccount() });
    expect({ status: registered.status, errors: registered.body.errors }).toEqual({ status: 200, errors: undefined });
    const loggedIn = await send(login, { input: { email: `nobody-${randomUUID()}@example.com`, password: 'not-the-password' } });
    expect({ status: loggedIn.status, code: loggedIn.body.errors[0].extensions.code }).toEqual({
      status: 200,
      code: 'UNAUTHENTICATED',
    });
    const refreshed = await send('mutation ($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken } }', {
      t: registered.body.data.register.refreshToken,
    });
    expect({ status: refreshed.status, errors: refreshed.body.errors }).toEqual({ status: 200, errors: undefined });

    // The fourth, another new account, is refused before the users service hashes anything, signed in or not.
    const refused = await expectRefused(() => send(REGISTER, { input: freshAccount() }), 429, 'RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(refused.body.errors).toEqual([
      {
        message: `Too many account operations from this address: the limit is 3 per minute. Try again in ${retryAfter} s.`,
        extensions: { code: 'RATE_LIMITED', retryAfter },
      },
    ]);
    const authorization = `Bearer ${registered.body.data.register.accessToken}`;
    await expectRefused(
      () =>
        send(login, { input: { email: `nobody-${randomUUID()}@example.com`, password: 'not-the-password' } }, { authorization }),
      429,
      'RATE_LIMITED',
    );
    // Everything else from that address still runs.
    expect((await send(CATEGORIES, {})).status).toBe(200);
  });
});

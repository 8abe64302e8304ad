import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticateRequests } from '@supergraph/server-kit/auth';
import { UnauthenticatedError } from '@supergraph/server-kit/graphql';
import { createGraphQLService, type GraphQLService } from '@supergraph/server-kit/http';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import { createLogger, createMetrics } from '@supergraph/server-kit/telemetry';
import { createTestKeys } from '@supergraph/server-kit/testing';
import { buildSchema, type GraphQLFieldResolver, type GraphQLObjectType } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLimitSettings } from '../src/limit-settings.js';
import { createRequestLimits } from '../src/request-limits.js';

// The limits wired as the router wires them (after authentication, in front of Apollo Server),
// over the router's API schema with a few stub resolvers that count how often anything executes.
const schema = buildSchema(readFileSync(join(REPO_ROOT, 'api-schema.graphql'), 'utf8'));
let executions = 0;
const emptyPage = { nodes: [], edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
function stub(type: string, field: string, resolve: GraphQLFieldResolver<unknown, unknown>) {
  (schema.getType(type) as GraphQLObjectType).getFields()[field]!.resolve = (...args) => {
    executions += 1;
    return resolve(...args);
  };
}
stub('Query', 'categories', () => [{ id: '1', name: 'Books', slug: 'books' }]);
stub('Query', 'products', () => emptyPage);
stub('Category', 'products', () => emptyPage);
stub('Query', 'me', (_parent, _args, context) => (context as { viewer: { id: string } | null }).viewer);
stub('Mutation', 'login', () => {
  throw new UnauthenticatedError('The email or password is wrong.');
});
stub('Mutation', 'register', () => ({ accessToken: 'access' }));
stub('Mutation', 'refreshToken', () => ({ accessToken: 'access' }));
stub('Mutation', 'changePassword', () => ({ accessToken: 'access' }));
stub('Mutation', 'logout', () => ({ loggedOut: true }));

const keys = createTestKeys();
const logger = createLogger({ service: 'router', level: 'silent' });
let service: GraphQLService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function startRouter(
  env: Record<string, string> = {},
  {
    isProduction = false,
    clock = { now: Date.UTC(2026, 0, 1) },
    maxKeysPerStore,
  }: { isProduction?: boolean; clock?: { now: number }; maxKeysPerStore?: number } = {},
) {
  const limits = createRequestLimits(parseLimitSettings(env), {
    logger,
    isProduction,
    clock: () => clock.now,
    maxKeysPerStore,
  });
  service = await createGraphQLService({
    name: 'router',
    logger,
    metrics: createMetrics('router'),
    isProduction,
    graphql: { schema },
    graphqlMiddleware: [authenticateRequests(keys.verify), ...limits.middleware],
    plugins: limits.plugins,
    context: async ({ viewer }) => ({ viewer }),
    bodyLimit: limits.bodyLimit,
    onShutdown: () => limits.close(),
  });
  limits.applyTo(service.app);
  const url = await service.listen(0, '127.0.0.1');
  return {
    clock,
    async post(body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as any };
    },
    async get(query: string) {
      const response = await fetch(`${url}?${new URLSearchParams({ query })}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      return { status: response.status, body: (await response.json()) as any };
    },
  };
}

/** Sends an operation and checks it was refused with `status` and `code` and that nothing executed. */
async function expectRefused(
  router: Awaited<ReturnType<typeof startRouter>>,
  body: unknown,
  status: number,
  code: string,
  headers: Record<string, string> = {},
) {
  const before = executions;
  const response = await router.post(body, headers);
  expect({ status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(response.body.data).toBeUndefined();
  expect(executions).toBe(before);
  return response;
}

const nest = (levels: number) =>
  `{ categories { ${'products { nodes { category { '.repeat(levels)}id${' } } }'.repeat(levels)} } }`;

describe('request bounds', () => {
  it('runs an operation within every limit and answers with the RateLimit headers', async () => {
    const router = await startRouter();

    const { status, headers, body } = await router.post({ query: '{ categories { id name } }' });

    expect(status).toBe(200);
    expect(body).toEqual({ data: { categories: [{ id: '1', name: 'Books' }] } });
    expect(headers.get('ratelimit')).toBe('limit=300, remaining=299, reset=1');
    expect(headers.get('ratelimit-policy')).toBe('300;w=60');
  });

  it('refuses a query nested deeper than QUERY_MAX_DEPTH with 400 QUERY_TOO_DEEP', async () => {
    const router = await startRouter();
    // categories(1) + 3 × products/nodes/category + id = depth 11; two levels are depth 8.
    expect((await router.post({ query: nest(2) })).status).toBe(200);

    const { body } = await expectRefused(router, { query: nest(3) }, 400, 'QUERY_TOO_DEEP');
    expect(body.errors).toEqual([
      { message: 'Query depth limit of 10 exceeded, found 11.', extensions: { code: 'QUERY_TOO_DEEP', limit: 10 } },
    ]);
  });

  it('counts depth through fragments', async () => {
    const router = await startRouter({ QUERY_MAX_DEPTH: '4' });
    const query = `{ categories { ...C } } fragment C on Category { products { nodes { ... on Product { category { id } } } } }`;

    await expectRefused(router, { query }, 400, 'QUERY_TOO_DEEP');
  });

  it('refuses more aliases than QUERY_MAX_ALIASES with 400 TOO_MANY_ALIASES', async () => {
    const router = await startRouter();
    const aliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: categories { id }`).join(' ')} }`;
    expect((await router.post({ query: aliases(15) })).status).toBe(200);

    const { body } = await expectRefused(router, { query: aliases(16) }, 400, 'TOO_MANY_ALIASES');
    expect(body.errors[0].message).toBe('Aliases limit of 15 exceeded, found 16.');
  });

  it('refuses more directives than QUERY_MAX_DIRECTIVES with 400 TOO_MANY_DIRECTIVES', async () => {
    const router = await startRouter();
    const query = `{ categories { ${Array.from({ length: 21 }, () => 'id @include(if: true)').join(' ')} } }`;

    await expectRefused(router, { query }, 400, 'TOO_MANY_DIRECTIVES');
  });

  it('refuses more tokens than QUERY_MAX_TOKENS with 400 TOO_MANY_TOKENS, by POST and by GET', async () => {
    const router = await startRouter({ QUERY_MAX_TOKENS: '100' });
    // `{ categories {` and `} }` are 5 tokens: with 96 `id`s, 101.
    const query = `{ categories { ${'id '.repeat(96)}} }`;

    const { body } = await expectRefused(router, { query }, 400, 'TOO_MANY_TOKENS');
    expect(body.errors).toEqual([
      { message: 'The operation has more than 100 tokens, the limit.', extensions: { code: 'TOO_MANY_TOKENS', limit: 100 } },
    ]);
    const before = executions;
    expect(await router.get(query)).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'TOO_MANY_TOKENS' } }] },
    });
    expect(executions).toBe(before);
    expect((await router.post({ query: `# comments are not tokens\n{ categories { ${'id '.repeat(95)}} }` })).status).toBe(200);
  });

  it('refuses `first` above 100, as a literal or a variable, with 400 PAGE_SIZE_TOO_LARGE', async () => {
    const router = await startRouter();

    const literal = await expectRefused(router, { query: '{ products(first: 101) { totalCount } }' }, 400, 'PAGE_SIZE_TOO_LARGE');
    expect(literal.body.errors[0]).toEqual({
      message: '`first` is 101 on products; a page holds at most 100.',
      extensions: { code: 'PAGE_SIZE_TOO_LARGE', limit: 100 },
    });
    const query = 'query Page($n: Int = 20) { categories { products(first: $n) { totalCount } } }';
    await expectRefused(router, { query, variables: { n: 1000 } }, 400, 'PAGE_SIZE_TOO_LARGE');
    expect((await router.post({ query, variables: { n: 100 } })).status).toBe(200);
    expect((await router.post({ query })).status).toBe(200);
  });

  it('checks page sizes and cost with each request’s variables, also for an automatic persisted query sent by hash', async () => {
    const router = await startRouter();
    const query = 'query ByHash($n: Int) { products(first: $n) { totalCount } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    expect((await router.post({ query, variables: { n: 5 }, extensions })).status).toBe(200);

    expect((await router.post({ variables: { n: 5 }, extensions })).status).toBe(200);
    await expectRefused(router, { variables: { n: 101 }, extensions }, 400, 'PAGE_SIZE_TOO_LARGE');
  });

  it('refuses an operation whose estimated cost is above QUERY_MAX_COST with 400 QUERY_TOO_COSTLY', async () => {
    const router = await startRouter();
    const query = `{ users(first: 100) { nodes { orders(first: 100) { nodes { items { product { category {
      products(first: 100) { nodes { name } } } } } } } } } }`;

    const { body } = await expectRefused(router, { query }, 400, 'QUERY_TOO_COSTLY');
    expect(body.errors[0].message).toBe(
      "The operation's estimated cost is 10410201, above the limit of 10000: ask for smaller pages or fewer nested lists.",
    );
  });

  it('answers a body above REQUEST_BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
    const router = await startRouter({ REQUEST_BODY_LIMIT: '2kb' });

    await expectRefused(router, { query: `# ${'x'.repeat(2100)}\n{ categories { id } }` }, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('hides field suggestions in production', async () => {
    const router = await startRouter({}, { isProduction: true });

    const { status, body } = await router.post({ query: '{ categories { nam } }' });

    expect(status).toBe(400);
    expect(body.errors[0].message).not.toMatch(/Did you mean/);
  });
});

describe('rate limits', () => {
  it('gives each anonymous IP a bucket of RATE_LIMIT_PER_MINUTE and answers 429 RATE_LIMITED past it', async () => {
    const router = await startRouter({ RATE_LIMIT_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i += 1) expect((await router.post({ query: '{ categories { id } }' })).status).toBe(200);

    const { headers, body } = await expectRefused(router, { query: '{ categories { id } }' }, 429, 'RATE_LIMITED');

    expect(headers.get('retry-after')).toBe('20');
    expect(headers.get('ratelimit')).toBe('limit=3, remaining=0, reset=60');
    expect(headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(body.errors).toEqual([
      {
        message: 'Too many requests: the limit is 3 per minute. Try again in 20 s.',
        extensions: { code: 'RATE_LIMITED', retryAfter: 20 },
      },
    ]);

    router.clock.now += 20_000;
    expect((await router.post({ query: '{ categories { id } }' })).status).toBe(200);
  });

  it('charges a signed-in caller to both their IP’s bucket and their own: the tighter one decides', async () => {
    const router = await startRouter({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    const token = async (id: string) => `Bearer ${(await keys.issue({ id, role: 'CUSTOMER' })).token}`;
    const from = (ip: string, authorization?: string) => ({ 'x-forwarded-for': ip, ...(authorization ? { authorization } : {}) });
    const [first, second] = [await token('user-1'), await token('user-2')];

    // One address spends its budget anonymously; a token (a fresh account's, say) buys no more from it.
    expect((await router.post({ query: '{ categories { id } }' }, from('198.51.100.1'))).status).toBe(200);
    const signedIn = await router.post({ query: '{ me { id } }' }, from('198.51.100.1', first));
    expect(signedIn.body).toEqual({ data: { me: { id: 'user-1' } } });
    // The tighter bucket is reported: the address has none left, the user one.
    expect(signedIn.headers.get('ratelimit')).toBe('limit=2, remaining=0, reset=60');
    const refused = await expectRefused(router, { query: '{ me { id } }' }, 429, 'RATE_LIMITED', from('198.51.100.1', second));
    expect(refused.headers.get('ratelimit')).toBe('limit=2, remaining=0, reset=60');
    expect(refused.headers.get('retry-after')).toBe('30');

    // And a user spread over many addresses still has one budget (the refusal above took nothing from user-2's).
    expect((await router.post({ query: '{ me { id } }' }, from('198.51.100.2', first))).status).toBe(200);
    await expectRefused(router, { query: '{ me { id } }' }, 429, 'RATE_LIMITED', from('198.51.100.3', first));
    expect((await router.post({ query: '{ me { id } }' }, from('198.51.100.4', second))).status).toBe(200);
    expect((await router.post({ query: '{ me { id } }' }, from('198.51.100.5', second))).status).toBe(200);
  });

  it('limits login attempts per account across IPs, with its own RateLimit headers, and leaves other accounts alone', async () => {
    // Behind a proxy on loopback, each request comes "from" the address X-Forwarded-For names.
    const router = await startRouter({ LOGIN_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    const login = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }';
    const attempt = (email: string, ip: string) =>
      router.post({ query: login, variables: { input: { email, password: 'guess' } } }, { 'x-forwarded-for': ip });
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      const { status, body } = await attempt('victim@example.com', ip);
      expect({ status, code: body.errors[0].extensions.code }).toEqual({ status: 200, code: 'UNAUTHENTICATED' });
    }

    const before = executions;
    const refused = await attempt('  Victim@Example.com', '198.51.100.4');
    expect(executions).toBe(before);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('ratelimit')).toBe('limit=3, remaining=0, reset=60');
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(refused.body.errors).toEqual([
      {
        message: 'Too many login attempts for this account: the limit is 3 per minute. Try again in 20 s.',
        extensions: { code: 'RATE_LIMITED', retryAfter: 20 },
      },
    ]);
    // Aliased attempts are not a way around it: an operation carries one at most.
    const aliased = `mutation { a: login(input: { email: "victim@example.com", password: "1" }) { accessToken }
      b: login(input: { email: "victim@example.com", password: "2" }) { accessToken } }`;
    router.clock.now += 20_000;
    await expectRefused(router, { query: aliased }, 400, 'TOO_MANY_ACCOUNT_MUTATIONS', { 'x-forwarded-for': '198.51.100.5' });
    expect((await attempt('victim@example.com', '198.51.100.5')).status).toBe(200);

    expect((await attempt('someone-else@example.com', '198.51.100.4')).status).toBe(200);
  });
});

describe('account mutations', () => {
  const fresh = (i: number) => `new-${i}@example.com`;
  const password = 'a long enough password';
  const register = (i: number) =>
    `mutation { register(input: { email: "${fresh(i)}", password: "${password}", name: "N" }) { accessToken } }`;
  const login = (i: number) => `mutation { login(input: { email: "${fresh(i)}", password: "${password}" }) { accessToken } }`;
  const refresh = 'mutation { refreshToken(input: { refreshToken: "opaque" }) { accessToken } }';
  const changePassword = `mutation { changePassword(input: { currentPassword: "${password}", newPassword: "another long password" }) { accessToken } }`;

  it('refuses an operation with more than one account mutation, aliases included, with 400 TOO_MANY_ACCOUNT_MUTATIONS', async () => {
    const router = await startRouter();
    // 16 `login` fields with 15 aliases: within QUERY_MAX_ALIASES, and each an scrypt in the users service.
    const spray = `mutation { ${Array.from(
      { length: 16 },
      (_, i) => `${i === 0 ? '' : `a${i}: `}login(input: { email: "${fresh(i)}", password: "${password}" }) { accessToken }`,
    ).join(' ')} }`;

    const { body } = await expectRefused(router, { query: spray }, 400, 'TOO_MANY_ACCOUNT_MUTATIONS');

    expect(body.errors).toEqual([
      {
        message: 'The operation has 16 account mutations (register, login, refreshToken, changePassword); send one per request.',
        extensions: { code: 'TOO_MANY_ACCOUNT_MUTATIONS', limit: 1 },
      },
    ]);
    // Different mutations, through fragments, count together.
    const mixed = `mutation { ...Register ... on Mutation { refreshToken(input: { refreshToken: "t" }) { accessToken } } }
      fragment Register on Mutation { register(input: { email: "x@example.com", password: "${password}", name: "N" }) { accessToken } }`;
    await expectRefused(router, { query: mixed }, 400, 'TOO_MANY_ACCOUNT_MUTATIONS');
    // One account mutation, with any other mutation beside it, runs.
    const single = `mutation { logout(input: { refreshToken: "t" }) { loggedOut } ${refresh.slice('mutation {'.length)}`;
    expect((await router.post({ query: single })).body).toEqual({
      data: { logout: { loggedOut: true }, refreshToken: { accessToken: 'access' } },
    });
  });

  it('charges one token per account mutation to the client IP’s AUTH_RATE_LIMIT_PER_MINUTE bucket, whatever the email', async () => {
    const router = await startRouter({ AUTH_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    const from = { 'x-forwarded-for': '203.0.113.7' };
    // Every attempt is for an account never seen before, so no account's own bucket fills.
    expect((await router.post({ query: register(1) }, from)).body).toEqual({ data: { register: { accessToken: 'access' } } });
    expect((await router.post({ query: login(2) }, from)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await router.post({ query: refresh }, from)).status).toBe(200);

    const refused = await expectRefused(router, { query: register(3) }, 429, 'RATE_LIMITED', from);

    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('ratelimit')).toBe('limit=3, remaining=0, reset=60');
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(refused.body.errors).toEqual([
      {
        message: 'Too many account operations from this address: the limit is 3 per minute. Try again in 20 s.',
        extensions: { code: 'RATE_LIMITED', retryAfter: 20 },
      },
    ]);
    await expectRefused(router, { query: login(4) }, 429, 'RATE_LIMITED', from);
    // Queries are not account operations; another address has its own bucket; the bucket refills.
    expect((await router.post({ query: '{ categories { id } }' }, from)).status).toBe(200);
    expect((await router.post({ query: login(5) }, { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
    router.clock.now += 20_000;
    expect((await router.post({ query: login(6) }, from)).status).toBe(200);
  });

  it('charges a signed-in caller’s account mutations to their IP’s auth bucket too', async () => {
    const router = await startRouter({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    const asUser = { authorization: `Bearer ${(await keys.issue({ id: 'user-1', role: 'CUSTOMER' })).token}` };
    expect((await router.post({ query: login(1) })).status).toBe(200);
    expect((await router.post({ query: changePassword }, asUser)).body).toEqual({
      data: { changePassword: { accessToken: 'access' } },
    });

    await expectRefused(router, { query: changePassword }, 429, 'RATE_LIMITED', asUser);
    await expectRefused(router, { query: refresh }, 429, 'RATE_LIMITED');
  });

  it('keeps login buckets in their own store: a flood of other keys does not refill an account’s bucket', async () => {
    const router = await startRouter(
      { LOGIN_RATE_LIMIT_PER_MINUTE: '2', AUTH_RATE_LIMIT_PER_MINUTE: '1000', TRUST_PROXY: 'loopback' },
      { maxKeysPerStore: 5 },
    );
    const attempt = (email: string, ip: string) =>
      router.post(
        { query: `mutation { login(input: { email: "${email}", password: "guess" }) { accessToken } }` },
        { 'x-forwarded-for': ip },
      );
    for (const ip of ['192.0.2.1', '192.0.2.2']) expect((await attempt('victim@example.com', ip)).status).toBe(200);
    expect((await attempt('victim@example.com', '192.0.2.3')).status).toBe(429);

    // Many addresses (caller and auth buckets) and many made-up accounts (login buckets), far past 5 keys.
    const flood = [];
    for (let i = 0; i < 20; i += 1) flood.push((await attempt(`random-${i}@example.com`, `192.0.2.${10 + i}`)).status);

    // The login store keeps the 5 live buckets it has and turns new accounts away until one is full again;
    // the caller and auth stores, keyed by address, made room by evicting.
    expect(flood).toEqual([...Array(4).fill(200), ...Array(16).fill(429)]);

    const refused = await expectRefused(
      router,
      { query: login(0).replace(fresh(0), 'victim@example.com') },
      429,
      'RATE_LIMITED',
      {
        'x-forwarded-for': '192.0.2.99',
      },
    );
    expect(refused.body.errors[0].message).toMatch(/^Too many login attempts for this account/);
    // It refills at its own pace: one attempt every 30 s.
    router.clock.now += 30_000;
    expect((await attempt('victim@example.com', '192.0.2.100')).status).toBe(200);
  });
});

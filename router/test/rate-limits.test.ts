import { afterEach, describe, expect, it } from 'vitest';
import { countExecutions, expectRateLimited, expectRefused, keys, startRouter, stopRouter } from './limits-router.js';

// The token-bucket rate limits per caller, per address for account mutations and per login account.
afterEach(stopRouter);

describe('rate limits', () => {
  it('gives each anonymous IP a bucket of RATE_LIMIT_PER_MINUTE and answers 429 RATE_LIMITED past it', async () => {
    const router = await startRouter({ RATE_LIMIT_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i += 1) expect((await router.post({ query: '{ categories { id } }' })).status).toBe(200);

    const refused = await expectRefused(router, { query: '{ categories { id } }' }, 429, 'RATE_LIMITED');

    expectRateLimited(refused, {
      limit: 3,
      retryAfter: 20,
      message: 'Too many requests: the limit is 3 per minute. Try again in 20 s.',
    });

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

    const before = countExecutions();
    const refused = await attempt('  Victim@Example.com', '198.51.100.4');
    expect(countExecutions()).toBe(before);
    expectRateLimited(refused, {
      limit: 3,
      retryAfter: 20,
      message: 'Too many login attempts for this account: the limit is 3 per minute. Try again in 20 s.',
    });
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

    expectRateLimited(refused, {
      limit: 3,
      retryAfter: 20,
      message: 'Too many account operations from this address: the limit is 3 per minute. Try again in 20 s.',
    });
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

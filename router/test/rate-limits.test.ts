import { afterEach, describe, expect, it } from 'vitest';
import { expectRateLimited, expectRefused, keys, startRouter, stopRouter } from './limits-router.js';

// The token-bucket rate limits per caller, and one account mutation per operation. Account mutations
// per address and login attempts per account are the users service's (subgraphs/users/test/throttling.test.ts).
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
});

describe('account mutations', () => {
  const fresh = (i: number) => `new-${i}@example.com`;
  const password = 'a long enough password';
  const refresh = 'mutation { refreshToken(input: { refreshToken: "opaque" }) { accessToken } }';

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
});

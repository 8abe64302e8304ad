import { randomUUID } from 'node:crypto';
import { DEMO_ADMIN_EMAIL, DEMO_CUSTOMER_EMAIL } from '@supergraph/demo-data';
import { describe, expect, it } from 'vitest';
import { LoginDocument, RefreshTokenDocument } from '../../operations/__generated__/graphql.js';
import { createOperationSender, type OperationSender } from './support/graphql-client.js';
import { LIMITS_CUSTOMER, useLimitsStack } from './support/limits-stack.js';

// The rate limits, through real processes: one SQLite stack, and a router per test on the same
// subgraphs with a small budget. Account mutations per address and login attempts per account are
// the users service's (decision 022): those tests start it again with a small budget of its own.
// The bounds on an operation's shape are in request-limits.test.ts.
const limits = useLimitsStack();
const { expectRefused } = limits;
const customer = LIMITS_CUSTOMER;

/** Starts a router on the stack's subgraphs with `env` on top of its settings, and a sender for it. */
async function startRouter(env: Record<string, string>): Promise<OperationSender> {
  const router = await limits.stack.startRouter(env);
  return createOperationSender(() => router.url);
}

/**
 * Starts the users service again with `env` on top of its settings (and fresh in-memory buckets).
 * Its password hashes may take their time: on a starved machine one takes seconds, and these tests
 * are about throttling, not shedding load (PASSWORD_HASH_WAIT_MS, decision 021).
 */
async function restartUsers(env: Record<string, string>): Promise<void> {
  await limits.stack.restart('users', { PASSWORD_HASH_WAIT_MS: '60000', ...env });
}

/**
 * Sends an operation that the users service must throttle: 429 RATE_LIMITED at the router, no data,
 * and refused before the service read a row or hashed a password (its statement count stays put).
 */
async function expectThrottled<TResponse extends { status: number; body: any }>(
  send: () => Promise<TResponse>,
): Promise<TResponse> {
  const before = (await limits.stack.statementCounts()).users;
  const response = await send();
  expect({ status: response.status, code: response.body.errors?.[0]?.extensions?.code }).toEqual({
    status: 429,
    code: 'RATE_LIMITED',
  });
  expect(response.body.data).toBeNull();
  expect((await limits.stack.statementCounts()).users).toBe(before);
  return response;
}

const CATEGORIES = '{ categories { id } }';
const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id } }
}`;
/** A new account's registration input: an email never used and a password the users service accepts. */
const freshAccount = () => ({ email: `e2e-${randomUUID()}@example.com`, password: `pw-${randomUUID()}`, name: 'E2E Customer' });

describe('rate limits at the router and the users service', () => {
  it('answers a burst past RATE_LIMIT_PER_MINUTE with 429, Retry-After, RateLimit headers and RATE_LIMITED', async () => {
    const query = await startRouter({ RATE_LIMIT_PER_MINUTE: '5' });
    const send = () => query(CATEGORIES);
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
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=5, remaining=0, reset=\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('5;w=60');
    expect(refused.body.errors).toEqual([
      {
        message: `Too many requests: the limit is 5 per minute. Try again in ${retryAfter} s.`,
        extensions: { code: 'RATE_LIMITED', retryAfter },
      },
    ]);

    // Signing in buys no budget beyond the address's (the signed-in caller test below goes further).
    const authorization = `Bearer ${(await limits.stack.keys.issue(customer)).token}`;
    await expectRefused(() => query('{ me { id } }', {}, { authorization }), 429, 'RATE_LIMITED');
  });

  it('charges a signed-in caller to their IP’s bucket and their own: fresh accounts buy no budget, many IPs no more either', async () => {
    // TRUST_PROXY on loopback: each request comes "from" the address its X-Forwarded-For names.
    const query = await startRouter({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    const from = (ip: string, authorization?: string) => ({ 'x-forwarded-for': ip, ...(authorization ? { authorization } : {}) });
    const me = (headers: Record<string, string>) => query('{ me { id } }', {}, headers);
    // Two accounts registered through the router, from an address of their own.
    const accounts: { id: string; authorization: string }[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { status, body } = await query(REGISTER, { input: freshAccount() }, from('203.0.113.10'));
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      accounts.push({ id: body.data.register.user.id, authorization: `Bearer ${body.data.register.accessToken}` });
    }

    // One address: an anonymous request, then one per account. Each is charged to the address too.
    const address = '203.0.113.20';
    expect((await query(CATEGORIES, {}, from(address))).status).toBe(200);
    expect((await me(from(address, accounts[0]!.authorization))).body.data).toEqual({ me: { id: accounts[0]!.id } });
    const last = await me(from(address, accounts[1]!.authorization));
    expect(last.body.data).toEqual({ me: { id: accounts[1]!.id } });
    // The tighter bucket is the one reported: the address's is empty, the user's has 2 left.
    expect(last.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);

    const refused = await expectRefused(() => me(from(address, accounts[0]!.authorization)), 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(19);
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(refused.body.errors[0].message).toMatch(/^Too many requests: the limit is 3 per minute\. Try again in \d+ s\.$/);

    // And one user over many addresses: 1 request above, 2 more, then the user's own bucket is empty.
    for (const ip of ['203.0.113.30', '203.0.113.31']) expect((await me(from(ip, accounts[0]!.authorization))).status).toBe(200);
    const overUser = await expectRefused(() => me(from('203.0.113.32', accounts[0]!.authorization)), 429, 'RATE_LIMITED');
    expect(overUser.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
  });

  it('limits login attempts per account, whatever the caller, and leaves other accounts alone', async () => {
    // A high budget per IP, so the per-account limit is the one that bites (every request here comes from 127.0.0.1).
    await restartUsers({ LOGIN_RATE_LIMIT_PER_MINUTE: '3', AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
    const query = await startRouter({ RATE_LIMIT_PER_MINUTE: '1000' });
    const attempt = (email: string) => query(LoginDocument, { email, password: 'not-the-password' });

    for (let i = 0; i < 3; i += 1) {
      const { status, body } = await attempt(DEMO_CUSTOMER_EMAIL);
      expect({ status, code: body.errors?.[0]?.extensions.code }).toEqual({ status: 200, code: 'UNAUTHENTICATED' });
    }

    // The same account, spelt differently and as a literal: still the same bucket, refused before any work.
    const literal = `mutation { login(input: { email: "${DEMO_CUSTOMER_EMAIL.toUpperCase()}", password: "x" }) { accessToken } }`;
    const refused = await expectThrottled(() => query(literal));
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(refused.body.errors[0].message).toMatch(/^Too many login attempts for this account: the limit is 3 per minute\./);

    const other = await attempt(DEMO_ADMIN_EMAIL);
    expect({ status: other.status, code: other.body.errors?.[0]?.extensions.code }).toEqual({
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

    const { body, headers } = await expectRefused(() => limits.stack.query(spray), 400, 'TOO_MANY_ACCOUNT_MUTATIONS');

    expect(body.errors).toEqual([
      {
        message: 'The operation has 16 account mutations (register, login, refreshToken, changePassword); send one per request.',
        extensions: { code: 'TOO_MANY_ACCOUNT_MUTATIONS', limit: 1 },
      },
    ]);
    expect(headers.get('ratelimit')).toMatch(/^limit=300, remaining=\d+, reset=\d+$/);
    const mixed = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken }
      refreshToken(input: { refreshToken: "not-a-token" }) { accessToken } }`;
    await expectRefused(() => limits.stack.query(mixed, { input: freshAccount() }), 400, 'TOO_MANY_ACCOUNT_MUTATIONS');
  });

  it('charges every register, login and refreshToken to the client IP’s AUTH_RATE_LIMIT_PER_MINUTE bucket, new emails or not', async () => {
    // A high budget per request, so the auth bucket is the one that bites (every request here comes from 127.0.0.1).
    await restartUsers({ AUTH_RATE_LIMIT_PER_MINUTE: '3', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const query = await startRouter({ RATE_LIMIT_PER_MINUTE: '1000' });
    const unknownAccount = () => ({ email: `nobody-${randomUUID()}@example.com`, password: 'not-the-password' });

    // Three account operations, each for an account never seen before: no account's own bucket fills.
    const registered = await query(REGISTER, { input: freshAccount() });
    expect({ status: registered.status, errors: registered.body.errors }).toEqual({ status: 200, errors: undefined });
    const loggedIn = await query(LoginDocument, unknownAccount());
    expect({ status: loggedIn.status, code: loggedIn.body.errors?.[0]?.extensions.code }).toEqual({
      status: 200,
      code: 'UNAUTHENTICATED',
    });
    const refreshed = await query(RefreshTokenDocument, { refreshToken: registered.body.data.register.refreshToken });
    expect({ status: refreshed.status, errors: refreshed.body.errors }).toEqual({ status: 200, errors: undefined });

    // The fourth, another new account, is refused before the users service hashes anything, signed in or not.
    const refused = await expectThrottled(() => query(REGISTER, { input: freshAccount() }));
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=3, remaining=0, reset=\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        message: `Too many account operations from this address: the limit is 3 per minute. Try again in ${retryAfter} s.`,
        extensions: { code: 'RATE_LIMITED', retryAfter, serviceName: 'users' },
      }),
    ]);
    const authorization = `Bearer ${registered.body.data.register.accessToken}`;
    await expectThrottled(() => query(LoginDocument, unknownAccount(), { authorization }));
    // Everything else from that address still runs.
    expect((await query(CATEGORIES)).status).toBe(200);
  });
});

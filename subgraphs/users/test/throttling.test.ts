import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUsersHarness, SEED_PASSWORD, type UsersHarness } from './harness.js';

// Login and registration throttling in the users service itself (decision 022), over HTTP as a
// router calls it: the router secret, and the client's address in x-client-address.

const clock = { now: Date.UTC(2026, 0, 1) };
let harness: UsersHarness;
let url: string;

beforeAll(async () => {
  harness = await createUsersHarness(
    'sqlite',
    {},
    { throttling: { perAddressPerMinute: 4, perAccountPerMinute: 3, redisUrl: null }, clock: () => clock.now },
  );
  url = await harness.service.listen(0, '127.0.0.1');
});
afterAll(() => harness.close());

const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }';
const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }';
const REFRESH = 'mutation ($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken } }';

async function send(query: string, input: object, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-router-secret': 'test-router-secret', ...headers },
    body: JSON.stringify({ query, variables: { input } }),
  });
  const body = (await response.json()) as { data: unknown; errors?: { message: string; extensions: { code: string } }[] };
  return { status: response.status, headers: response.headers, body, code: body.errors?.[0]?.extensions.code };
}
const from = (address: string) => ({ 'x-client-address': address });
const login = (email: string, address: string, password = 'not-the-password') => send(LOGIN, { email, password }, from(address));
/** refreshToken: an account mutation without a password hash, so filling an address's budget is quick. */
const refresh = (headers: Record<string, string>) => send(REFRESH, { refreshToken: 'not-a-token' }, headers);

// Password hashes take seconds on a busy machine.
describe('login throttling in the users service', { timeout: 60_000 }, () => {
  it('limits attempts per account across addresses, with RateLimit headers on a 200 answer, and leaves other accounts alone', async () => {
    const victim = 'customer@example.com';
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expect((await login(victim, address)).code).toBe('UNAUTHENTICATED');
    }
    let refused!: Awaited<ReturnType<typeof login>>;

    const statements = await harness.countStatements(async () => {
      refused = await login('  Customer@Example.COM', '198.51.100.4', SEED_PASSWORD);
    });

    // 200: a router reads a subgraph's error status as a failed call; ours answers the client 429.
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: 'Too many login attempts for this account: the limit is 3 per minute. Try again in 20 s.',
          path: ['login'],
          extensions: { code: 'RATE_LIMITED', retryAfter: 20 },
        }),
      ],
    });
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('ratelimit')).toBe('limit=3, remaining=0, reset=60');
    expect(refused.headers.get('ratelimit-policy')).toBe('3;w=60');
    // Refused before the account was read or a password hashed.
    expect(statements).toBe(0);
    expect((await login('admin@example.com', '198.51.100.4')).code).toBe('UNAUTHENTICATED');

    clock.now += 20_000;
    expect((await login(victim, '198.51.100.5', SEED_PASSWORD)).body.errors).toBeUndefined();
  });

  it('charges every account mutation to the forwarded client address, and registrations to the email too', async () => {
    const address = '203.0.113.7';
    const account = { email: 'throttle-1@example.com', password: 'a long enough password 2026', name: 'N' };
    expect((await send(REGISTER, account, from(address))).body.errors).toBeUndefined();
    // Registering the same email again (the answer says it is taken) spends the email's budget too.
    expect((await send(REGISTER, account, from(address))).code).toBe('BAD_USER_INPUT');
    expect((await refresh(from(address))).code).toBe('UNAUTHENTICATED');
    expect((await refresh(from(address))).code).toBe('UNAUTHENTICATED');

    const refused = await send(REGISTER, { ...account, email: 'throttle-2@example.com' }, from(address));

    expect(refused.body.errors?.[0]?.message).toBe(
      'Too many account operations from this address: the limit is 4 per minute. Try again in 15 s.',
    );
    // Another address has its own budget; an IPv6 client is one budget per /64.
    for (let i = 1; i <= 4; i += 1) expect((await refresh(from(`2001:db8:1:2::${i}`))).code).toBe('UNAUTHENTICATED');
    expect((await refresh(from('2001:db8:1:2:ffff::9'))).code).toBe('RATE_LIMITED');
  });

  it('keys requests without a usable x-client-address by the caller’s own address (the router’s)', async () => {
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push((await refresh(from('not an address'))).code);

    expect(results).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { post, startRouter } from './router-harness.js';

// The users service limits logins itself (decision 022): the router tells it the client's address
// and answers its RATE_LIMITED as it answered its own, 429 with the RateLimit headers.

let users: http.Server | undefined;
afterEach(() => users?.close());

const LOGIN = { query: 'mutation { login(input: { email: "a@example.com", password: "whatever-it-is" }) { accessToken } }' };

/** A stand-in users service that records the client address it is told and refuses every login. */
async function startRefusingUsers(seen: (string | undefined)[]): Promise<string> {
  users = http.createServer((req, res) => {
    seen.push(req.headers['x-client-address'] as string | undefined);
    res.setHeader('content-type', 'application/json');
    res.setHeader('retry-after', '20');
    res.setHeader('ratelimit', 'limit=3, remaining=0, reset=60');
    res.setHeader('ratelimit-policy', '3;w=60');
    res.end(
      JSON.stringify({
        data: null,
        errors: [
          {
            message: 'Too many login attempts for this account: the limit is 3 per minute. Try again in 20 s.',
            path: ['login'],
            extensions: { code: 'RATE_LIMITED', retryAfter: 20 },
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => users!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(users.address() as AddressInfo).port}/graphql`;
}

describe("the users service's RATE_LIMITED", () => {
  it('reaches the client as 429 with the service’s Retry-After and RateLimit headers, code and message', async () => {
    const url = await startRouter({}, { users: await startRefusingUsers([]) });

    const response = await post(url, LOGIN);

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('20');
    expect(response.headers.get('ratelimit')).toBe('limit=3, remaining=0, reset=60');
    expect(response.headers.get('ratelimit-policy')).toBe('3;w=60');
    const body = (await response.json()) as { data: unknown; errors: object[] };
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'Too many login attempts for this account: the limit is 3 per minute. Try again in 20 s.',
        extensions: { code: 'RATE_LIMITED', retryAfter: 20, serviceName: 'users' },
      }),
    ]);
  });

  it('is told the client’s address as the router sees it (TRUST_PROXY), never one the client names', async () => {
    const seen: (string | undefined)[] = [];
    const users = await startRefusingUsers(seen);
    const direct = await startRouter({}, { users });
    await post(direct, LOGIN, { 'x-client-address': '192.0.2.1', 'x-forwarded-for': '192.0.2.2' });
    const proxied = await startRouter({ TRUST_PROXY: 'loopback' }, { users });
    await post(proxied, LOGIN, { 'x-client-address': '192.0.2.1', 'x-forwarded-for': '192.0.2.2' });

    expect(seen).toEqual(['127.0.0.1', '192.0.2.2']);
  });
});

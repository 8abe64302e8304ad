import { describe, expect, it } from 'vitest';
import { corsOriginsSetting, isAllowedOrigin } from '../src/cors.js';
import { parseRouterSettings } from '../src/env.js';
import { keys, post as postBody, startRouter } from './router-harness.js';

// CORS as a browser meets it, on the real router: a preflight, then the request, from allowed and
// other origins.

const preflight = (url: string, origin: string, headers = 'content-type,authorization') =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });

const post = (url: string, origin: string | null, headers: Record<string, string> = {}, body = '{"query":"{ __typename }"}') =>
  postBody(url, body, { ...(origin ? { origin } : {}), ...headers });

const corsHeaders = (response: Response) =>
  [...response.headers.keys()].filter((name) => name.startsWith('access-control-')).sort();

describe('CORS_ORIGINS', () => {
  it('defaults to any localhost port and Apollo Studio in development, and to none in production', () => {
    const development = parseRouterSettings({}).corsOrigins;
    expect(isAllowedOrigin(development, 'http://localhost:5173')).toBe(true);
    expect(isAllowedOrigin(development, 'http://127.0.0.1:4173')).toBe(true);
    expect(isAllowedOrigin(development, 'https://studio.apollographql.com')).toBe(true);
    expect(isAllowedOrigin(development, 'https://localhost:5173')).toBe(false);
    expect(isAllowedOrigin(development, 'http://localhost.evil.example:5173')).toBe(false);
    expect(isAllowedOrigin(development, 'null')).toBe(false);

    const production = parseRouterSettings({ NODE_ENV: 'production', JWT_PUBLIC_KEY: keys.publicKeyPem }).corsOrigins;
    expect(production).toEqual([]);
  });

  it('reads exact origins and host:* patterns, and an empty value allows none', () => {
    const origins = corsOriginsSetting.parse(' https://shop.example.com , http://localhost:* ,');
    expect(origins).toEqual([{ exact: 'https://shop.example.com' }, { protocol: 'http:', hostname: 'localhost', anyPort: true }]);
    expect(isAllowedOrigin(origins, 'https://shop.example.com')).toBe(true);
    expect(isAllowedOrigin(origins, 'https://shop.example.com:8443')).toBe(false);
    expect(isAllowedOrigin(origins, 'http://localhost:3000')).toBe(true);
    expect(parseRouterSettings({ CORS_ORIGINS: '' }).corsOrigins).toEqual([]);
  });

  it('refuses a port wildcard on anything but one plain host', () => {
    for (const entry of ['http://*.example.com:*', 'http://*:*', 'http://exa mple.com:*', 'http://b\u00fccher.example:*']) {
      expect(() => parseRouterSettings({ CORS_ORIGINS: entry }), entry).toThrow(/only the port may be \*/);
    }
    expect(corsOriginsSetting.parse('http://127.0.0.1:*')).toEqual([{ protocol: 'http:', hostname: '127.0.0.1', anyPort: true }]);
  });

  it('refuses to start on a malformed entry, naming every one', () => {
    expect(() =>
      parseRouterSettings({ CORS_ORIGINS: 'https://shop.example.com/,*,ftp://files.example.com,shop.example.com' }),
    ).toThrow(
      /CORS_ORIGINS.*"https:\/\/shop\.example\.com\/" is not an origin: write it as https:\/\/shop\.example\.com[\s\S]*"\*" would let every site[\s\S]*"ftp:\/\/files\.example\.com" is not an http:\/\/ or https:\/\/ origin[\s\S]*"shop\.example\.com" is not an origin/,
    );
  });
});

describe('CORS on /graphql', () => {
  it("answers an allowed origin's preflight with its origin, the headers Apollo Client sends and a cached answer", async () => {
    const url = await startRouter({ CORS_ORIGINS: 'http://localhost:5173' });

    const response = await preflight(url, 'http://localhost:5173', 'content-type,authorization,apollo-require-preflight');

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    // What Apollo Client and Sandbox send beside a simple request, the request id and W3C trace context.
    const allowHeaders =
      'content-type,authorization,apollo-require-preflight,x-apollo-operation-name,apollographql-client-name,apollographql-client-version,x-request-id,traceparent,tracestate,baggage';
    expect(response.headers.get('access-control-allow-headers')).toBe(allowHeaders);
    expect(response.headers.get('access-control-max-age')).toBe('7200');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it("answers the allowed origin's request with the data and the headers a page may read", async () => {
    const url = await startRouter({ CORS_ORIGINS: 'http://localhost:5173' });

    const response = await post(url, 'http://localhost:5173');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-expose-headers')?.split(',')).toEqual(
      expect.arrayContaining(['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy']),
    );
  });

  it('gives an origin not on the list no CORS headers, on the preflight and on the request', async () => {
    const url = await startRouter({ CORS_ORIGINS: 'http://localhost:5173' });

    const refusedPreflight = await preflight(url, 'https://evil.example');
    const request = await post(url, 'https://evil.example');

    expect(refusedPreflight.status).toBe(204);
    expect(corsHeaders(refusedPreflight)).toEqual([]);
    expect(corsHeaders(request)).toEqual([]);
    expect(request.headers.get('vary')).toMatch(/Origin/);
  });

  it('leaves requests without an Origin as they were', async () => {
    const url = await startRouter({ CORS_ORIGINS: 'http://localhost:5173' });

    const response = await post(url, null);

    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual([]);
  });

  it('still refuses a simple cross-site request (CSRF prevention), with the CORS headers that let the page read why', async () => {
    const url = await startRouter({ CORS_ORIGINS: 'http://localhost:5173' });

    const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: 'http://localhost:5173' },
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('lets an allowed page read a refusal: 401 for a bad token, 413 for a large body, 429 with Retry-After', async () => {
    const url = await startRouter({
      CORS_ORIGINS: 'http://localhost:5173',
      REQUEST_BODY_LIMIT: '1kb',
      RATE_LIMIT_PER_MINUTE: '2',
    });
    const origin = 'http://localhost:5173';

    const badToken = await post(url, origin, { authorization: 'Bearer not-a-token' });
    const large = await post(url, origin, {}, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(2048)}` }));
    const refusals = [badToken, large];
    // Two requests a minute: the third is refused, unless the machine stalled half a minute between them.
    const answers: Response[] = [];
    for (let attempt = 0; attempt < 6 && answers.at(-1)?.status !== 429; attempt += 1) answers.push(await post(url, origin));
    const limited = answers.at(-1)!;
    expect(limited.status).toBe(429);

    expect(refusals.map((response) => response.status)).toEqual([401, 413]);
    for (const response of [...refusals, limited]) {
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    }
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
  });

  it('serves no CORS headers at all in production until origins are listed', async () => {
    const url = await startRouter({ NODE_ENV: 'production', JWT_PUBLIC_KEY: keys.publicKeyPem });

    expect(corsHeaders(await preflight(url, 'http://localhost:5173'))).toEqual([]);
    expect(corsHeaders(await post(url, 'http://localhost:5173'))).toEqual([]);
  });
});

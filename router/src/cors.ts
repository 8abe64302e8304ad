import cors from 'cors';
import type { RequestHandler } from 'express';
import { z } from 'zod';

/**
 * Which browser origins may call the router, as CORS_ORIGINS lists them: exact origins
 * (`https://shop.example.com`), or a host with `:*` for any port (`http://localhost:*`, for dev
 * servers whose port moves). Requests without an Origin header (servers, curl) are not CORS and
 * pass as before; CSRF prevention in Apollo Server still refuses simple cross-site requests.
 */
export type CorsOrigin = { exact: string } | { protocol: string; hostname: string; anyPort: true };

/** Development default: any local port, and Apollo Studio's hosted explorer. Production default: none. */
export const DEVELOPMENT_CORS_ORIGINS = 'http://localhost:*,http://127.0.0.1:*,https://studio.apollographql.com';

/**
 * What Apollo Client and Apollo Sandbox send beside a simple request, our own request id, and the
 * W3C trace context a browser's OpenTelemetry instrumentation adds.
 */
const ALLOWED_REQUEST_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-request-id',
  'traceparent',
  'tracestate',
  'baggage',
];

/** What a page's script may read from an answer: the request id to quote, and when to retry after a 429. */
const EXPOSED_RESPONSE_HEADERS = ['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy'];

/** How long a browser may reuse a preflight's answer: two hours, Chromium's own ceiling. */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

const ANY_PORT = /^(https?):\/\/([^/:]+):\*$/;

function parseOrigin(entry: string): CorsOrigin | string {
  const wildcard = ANY_PORT.exec(entry);
  if (wildcard) return parseAnyPortOrigin(entry, wildcard[1]!, wildcard[2]!);
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `"${entry}" is not an origin: write scheme://host[:port], such as https://shop.example.com`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${entry}" is not an http:// or https:// origin`;
  if (url.origin !== entry) {
    return `"${entry}" is not an origin: write it as ${url.origin} (scheme, host and port only; no path, no trailing slash, lower case)`;
  }
  return { exact: url.origin };
}

/** `scheme://host:*`: one host, any port; the host must be a plain host name or address, as a URL writes it. */
function parseAnyPortOrigin(entry: string, scheme: string, host: string): CorsOrigin | string {
  let hostname: string | undefined;
  try {
    hostname = new URL(`${scheme}://${host}`).hostname;
  } catch {
    hostname = undefined;
  }
  if (host.includes('*') || hostname !== host.toLowerCase()) {
    return `"${entry}" is not an origin: only the port may be *, after one host written as a URL writes it, such as http://localhost:*`;
  }
  return { protocol: `${scheme}:`, hostname, anyPort: true };
}

/** CORS_ORIGINS: comma-separated origins; an empty value allows none. Every malformed entry is named. */
export const corsOriginsSetting = z.string().transform((value, ctx) => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const origins: CorsOrigin[] = [];
  for (const entry of entries) {
    if (entry === '*') {
      ctx.addIssue({
        code: 'custom',
        message: '"*" would let every site call the API with its users\' tokens: list the origins',
      });
      continue;
    }
    const origin = parseOrigin(entry);
    if (typeof origin === 'string') ctx.addIssue({ code: 'custom', message: origin });
    else origins.push(origin);
  }
  return origins;
});

/** Whether a request's Origin header is one of `origins`. */
export function isAllowedOrigin(origins: readonly CorsOrigin[], origin: string | undefined): boolean {
  if (origin === undefined || origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return origins.some((allowed) =>
    'exact' in allowed ? allowed.exact === origin : allowed.protocol === url.protocol && allowed.hostname === url.hostname,
  );
}

/**
 * CORS for /graphql with the `cors` package: an allowed origin gets its own origin back, the
 * allowed request headers and a cached preflight; any other origin gets no CORS headers at all, so
 * the browser keeps the answer from the page (its preflight is answered 204 and goes no further).
 * Mounted first, so that a 401, 413 or 429 reaches the page with its status and headers readable.
 */
export function createCorsMiddleware(origins: readonly CorsOrigin[]): RequestHandler {
  const allowed = cors({
    origin: true,
    methods: ['GET', 'POST'],
    allowedHeaders: ALLOWED_REQUEST_HEADERS,
    exposedHeaders: EXPOSED_RESPONSE_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
  return (req, res, next) => {
    res.vary('Origin');
    if (isAllowedOrigin(origins, req.headers.origin)) return allowed(req, res, next);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) return void res.status(204).end();
    next();
  };
}

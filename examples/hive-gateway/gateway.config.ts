// Hive Gateway in front of this repository's subgraphs, serving the same committed supergraph.graphql
// as our router. Run from the repository root:
//
//   npx hive-gateway supergraph supergraph.graphql -c examples/hive-gateway/gateway.config.ts --port 4000
//
// Settings come from the same variables as the router's (README.md here lists them). What each
// protection does behind this gateway, and what it does not do, is in docs/routers.md; the e2e suite
// e2e/test/hive-gateway.test.ts runs this file as it is.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  createInlineSigningKeyProvider,
  defineConfig,
  extractFromHeader,
  type GatewayPlugin,
  type TransportEntryAdditions,
} from '@graphql-hive/gateway';
import { GraphQLError } from 'graphql';

/** The subgraphs of supergraph.graphql; each needs its own secret (x-router-secret) to answer. */
const SUBGRAPHS = ['users', 'products', 'orders'] as const;

/** The headers of the users service's RATE_LIMITED answer that tell a client when to try again. */
const RATE_LIMIT_HEADERS = ['retry-after', 'ratelimit', 'ratelimit-policy'];

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required: see examples/hive-gateway/README.md`);
  return value;
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

/** PEM text from a variable, where newlines may have been written as `\n` (as the services accept it). */
const pem = (value: string) => value.replaceAll('\\n', '\n');

/**
 * Each subgraph at its URL (USERS_SUBGRAPH_URL, ...; default: supergraph.graphql's), called with its
 * own secret, which the subgraph checks before any GraphQL runs (server-kit requireRouterSecret).
 */
function subgraphTransports(): TransportEntryAdditions {
  return Object.fromEntries(
    SUBGRAPHS.map((name) => {
      const prefix = name.toUpperCase();
      const location = process.env[`${prefix}_SUBGRAPH_URL`];
      const secret = required(`${prefix}_SUBGRAPH_SECRET`);
      return [name, { ...(location ? { location } : {}), headers: [['x-router-secret', secret]] }];
    }),
  );
}

/**
 * The client's address as this gateway's socket saw it, for the users service's per-address login
 * throttle (it believes x-client-address only with the router secret). Behind a load balancer this
 * is the balancer's address: take the client's from its X-Forwarded-For entry instead.
 */
function clientAddress(context: object): string | undefined {
  return (context as { req?: { socket?: { remoteAddress?: string } } }).req?.socket?.remoteAddress;
}

/**
 * The JWT plugin leaves a bad token unverified instead of refusing it (reject.invalidToken is off),
 * because its own refusals carry no error code and answer a malformed token 400. This answers as
 * our router and the subgraphs do: 401, UNAUTHENTICATED, WWW-Authenticate. A request without a
 * token stays anonymous; the subgraphs decide what an anonymous caller may read.
 */
function useInvalidTokenRefusal(): GatewayPlugin {
  return {
    onRequestParse({ request, serverContext }) {
      return {
        onRequestParseDone() {
          const verified = (serverContext as { jwt?: unknown }).jwt;
          if (request.headers.has('authorization') && !verified) {
            throw new GraphQLError('The access token is invalid: malformed, expired or not signed by this supergraph.', {
              extensions: {
                code: 'UNAUTHENTICATED',
                http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
              },
            });
          }
        },
      };
    },
  };
}

/** Refuses a body larger than `limit` bytes before it is read (the gateway itself sets no limit). */
function useRequestBodyLimit(limit: number): GatewayPlugin {
  return {
    onRequest(payload) {
      const { request, fetchAPI } = payload;
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length <= limit) return;
      const error = {
        message: `The request body is larger than ${limit} bytes.`,
        extensions: { code: 'PAYLOAD_TOO_LARGE', limit },
      };
      payload.endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [error] }), {
          status: 413,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
  };
}

/**
 * graphql-armor's refusals carry no code, and the gateway answers them 200 to a client that accepts
 * application/json: each is answered as our router does instead, 400 with its code and the limit.
 */
function refuseAs(code: string, limit: number) {
  return (_context: unknown, error: GraphQLError): never => {
    throw new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
      extensions: { code, limit, http: { status: 400 } },
    });
  };
}

/** Tokens, depth (fields: fragments flattened), aliases and directives, with our router's defaults and codes. */
function shapeLimits(): GatewayPlugin[] {
  const tokens = wholeNumber('QUERY_MAX_TOKENS', 1000);
  const depth = wholeNumber('QUERY_MAX_DEPTH', 10);
  const aliases = wholeNumber('QUERY_MAX_ALIASES', 15);
  const directives = wholeNumber('QUERY_MAX_DIRECTIVES', 20);
  return [
    maxTokensPlugin({ n: tokens, onReject: [refuseAs('TOO_MANY_TOKENS', tokens)] }),
    maxDepthPlugin({ n: depth, flattenFragments: true, onReject: [refuseAs('QUERY_TOO_DEEP', depth)] }),
    maxAliasesPlugin({ n: aliases, onReject: [refuseAs('TOO_MANY_ALIASES', aliases)] }),
    maxDirectivesPlugin({ n: directives, onReject: [refuseAs('TOO_MANY_DIRECTIVES', directives)] }),
  ];
}

/** PERSISTED_OPERATIONS=safelist: only the operations of the manifest npm run codegen writes, by id. */
function safelist() {
  if (process.env.PERSISTED_OPERATIONS !== 'safelist') return undefined;
  const path = resolve(process.env.PERSISTED_OPERATIONS_MANIFEST ?? 'operations/__generated__/persisted-query-manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { operations: { id: string; body: string }[] };
  const bodies = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
  return { getPersistedOperation: (id: string) => bodies.get(id) ?? null, allowArbitraryDocuments: false };
}

/** CORS_ORIGINS: exact origins, comma-separated. None by default: no browser page may call the gateway. */
function cors() {
  const origins = (process.env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) return false;
  return {
    origin: origins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-request-id', 'traceparent', 'tracestate', 'baggage'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    credentials: false,
    maxAge: 7200,
  };
}

export const gatewayConfig = defineConfig({
  transportEntries: subgraphTransports(),
  jwt: {
    tokenLookupLocations: [extractFromHeader({ name: 'authorization', prefix: 'Bearer' })],
    signingKeyProviders: [createInlineSigningKeyProvider(pem(required('JWT_PUBLIC_KEY')))],
    tokenVerification: {
      algorithms: ['ES256'],
      issuer: process.env.JWT_ISSUER ?? 'supergraph-users',
      audience: process.env.JWT_AUDIENCE ?? 'supergraph',
      clockTolerance: 5,
    },
    reject: { missingToken: false, invalidToken: false },
    // The subgraphs verify the token themselves; claims in the request's extensions would be unused.
    forward: { payload: false },
  },
  propagateHeaders: {
    // The caller's token (verified above, or the request was refused) and address; the request id goes by itself.
    fromClientToSubgraphs: ({ request, context }) => ({
      authorization: request.headers.get('authorization'),
      'x-client-address': clientAddress(context),
    }),
    // A throttled login's RATE_LIMITED comes with when to try again.
    fromSubgraphsToClient: ({ response }) =>
      Object.fromEntries(RATE_LIMIT_HEADERS.map((name) => [name, response.headers.get(name)])),
  },
  cors: cors(),
  persistedDocuments: safelist(),
  demandControl: { maxCost: wholeNumber('QUERY_MAX_COST', 10_000), listSize: 10 },
  upstreamTimeout: wholeNumber('SUBGRAPH_TIMEOUT_MS', 10_000),
  requestTimeout: 30_000,
  plugins: () => [
    useInvalidTokenRefusal(),
    useRequestBodyLimit(wholeNumber('REQUEST_BODY_LIMIT_BYTES', 100 * 1024)),
    ...shapeLimits(),
  ],
});

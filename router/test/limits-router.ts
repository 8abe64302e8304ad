import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticateRequests } from '@supergraph/server-kit/auth';
import { UnauthenticatedError } from '@supergraph/server-kit/graphql';
import { createGraphQLService, type GraphQLService } from '@supergraph/server-kit/http';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import { createLogger, createMetrics } from '@supergraph/server-kit/telemetry';
import { createTestKeys } from '@supergraph/server-kit/testing';
import { buildSchema, type GraphQLFieldResolver, type GraphQLObjectType } from 'graphql';
import { expect } from 'vitest';
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

export const keys = createTestKeys();
const logger = createLogger({ service: 'router', level: 'silent' });
let service: GraphQLService | undefined;

/** How many times a stub resolver has run: a refused operation must not change it. */
export const countExecutions = () => executions;

/** Stops the router the last startRouter started; for afterEach. */
export async function stopRouter(): Promise<void> {
  await service?.close();
  service = undefined;
}

export type LimitedRouter = Awaited<ReturnType<typeof startRouter>>;

/** The router's request limits, wired as the router wires them, over the stubbed API schema. */
export async function startRouter(
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
    graphqlMiddleware: [authenticateRequests(keys.verify), limits.middleware],
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
export async function expectRefused(
  router: LimitedRouter,
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

/** Checks a 429 answer: Retry-After, an empty bucket of `limit` per minute in the RateLimit headers, and the one error. */
export function expectRateLimited(
  response: Awaited<ReturnType<LimitedRouter['post']>>,
  { limit, retryAfter, message }: { limit: number; retryAfter: number; message: string },
): void {
  expect(response.status).toBe(429);
  expect(response.headers.get('retry-after')).toBe(String(retryAfter));
  expect(response.headers.get('ratelimit')).toBe(`limit=${limit}, remaining=0, reset=60`);
  expect(response.headers.get('ratelimit-policy')).toBe(`${limit};w=60`);
  expect(response.body.errors).toEqual([{ message, extensions: { code: 'RATE_LIMITED', retryAfter } }]);
}

import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadUserInputError } from '../src/graphql/errors.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createMetrics } from '../src/telemetry/metrics.js';
import { createGraphQLService, type GraphQLService } from '../src/http/graphql-service.js';

const schema = buildSubgraphSchema([
  {
    typeDefs: parse(`#graphql
    type Query { hello(name: String!): String! broken: String explained: String }
  `),
    resolvers: {
      Query: {
        hello: (_: unknown, { name }: { name: string }) => `hello ${name}`,
        broken: () => {
          throw new Error('connection string postgres://secret@db leaked');
        },
        explained: () => {
          throw new BadUserInputError('name is too long.', 'name');
        },
      },
    },
  },
]);

let service: GraphQLService;
let url: string;
let isReady = true;
const logged: { level: string; msg?: string; err?: { message: string } }[] = [];

beforeAll(async () => {
  // Log lines are collected in memory, where the tests can look for them.
  const logger = createLogger({
    service: 'kit-test',
    destination: { write: (line: string) => void logged.push(JSON.parse(line)) },
  });
  service = await createGraphQLService({
    name: 'kit-test',
    logger,
    metrics: createMetrics('kit-test'),
    isProduction: false,
    graphql: { schema },
    context: async ({ requestId }) => ({ requestId }),
    isReady: () => isReady,
    bodyLimit: '1kb',
  });
  url = await service.listen(0, '127.0.0.1');
});
afterAll(() => service.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('createGraphQLService', () => {
  it('answers GraphQL and echoes a well-formed request id', async () => {
    const response = await post(JSON.stringify({ query: '{ hello(name: "kit") }' }), { 'x-request-id': 'abc-123' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    // Nothing the API answers may be kept by a browser or a shared cache.
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ data: { hello: 'hello kit' } });
  });

  it('replaces a malformed request id with a new one', async () => {
    const response = await post(JSON.stringify({ query: '{ hello(name: "kit") }' }), { 'x-request-id': 'bad id with spaces' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR and logs the details', async () => {
    const response = await post(JSON.stringify({ query: '{ broken }' }));
    const body = (await response.json()) as { errors: unknown[] };
    expect(body.errors).toEqual([
      {
        message: 'Internal server error',
        locations: [{ line: 1, column: 3 }],
        path: ['broken'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(body)).not.toContain('postgres://');
    expect(logged.some((line) => line.level === 'error' && line.err?.message.includes('postgres://secret@db'))).toBe(true);
  });

  it('passes an expected error through with its code and without a stack trace', async () => {
    const body = (await (await post(JSON.stringify({ query: '{ explained }' }))).json()) as {
      errors: { extensions: Record<string, unknown> }[];
    };
    expect(body.errors[0]).toMatchObject({
      message: 'name is too long.',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'name' },
    });
    expect(body.errors[0]!.extensions.stacktrace).toBeUndefined();
  });

  it('answers a body over the limit with 413 and a GraphQL-shaped error', async () => {
    const response = await post(JSON.stringify({ query: `{ hello(name: "${'x'.repeat(2000)}") }` }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('answers malformed JSON with 400 and a GraphQL-shaped error', async () => {
    const response = await post('{"query": ');
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('reports readiness on /ready and liveness on /health', async () => {
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    expect((await fetch(`${origin}/ready`)).status).toBe(200);
    isReady = false;
    const notReady = await fetch(`${origin}/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'unavailable', service: 'kit-test' });
    isReady = true;
  });

  it('exposes Prometheus metrics, counting operations by root field and outcome', async () => {
    const text = await (await fetch(`${new URL(url).origin}/metrics`)).text();
    expect(text).toMatch(/graphql_operations_total\{operation="hello",outcome="success",service="kit-test"\} \d+/);
    expect(text).toMatch(/graphql_operations_total\{operation="broken",outcome="error",service="kit-test"\} \d+/);
    expect(text).toMatch(/graphql_errors_total\{code="INTERNAL_SERVER_ERROR",service="kit-test"\} \d+/);
    expect(text).toContain('graphql_requests_in_flight{service="kit-test"} 0');
  });
});

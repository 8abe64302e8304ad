import type { ApolloServerPlugin } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BadUserInputError } from '../src/graphql/errors.js';
import { createGraphQLService, type GraphQLService, type OperationLabeler } from '../src/http/graphql-service.js';
import { MAX_ERROR_CODES } from '../src/http/operation-metrics.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createMetrics } from '../src/telemetry/metrics.js';
import { labelValues, sumSamples } from './support/metrics-text.js';

// What an operator reads on /metrics about GraphQL: operations by a bounded label and outcome,
// errors by code, requests in flight.

let releaseSlow: () => void = () => {};
let slowStarted = false;

const schema = buildSubgraphSchema([
  {
    typeDefs: parse(`#graphql
    type Query {
      hello(name: String!): String!
      broken: String
      explained: String
      slow: String
      "One error per code, each with extensions.code set to it."
      coded(codes: [String!]!): [String]
    }
    type Mutation { touch: Boolean }
  `),
    resolvers: {
      Query: {
        hello: (_: unknown, { name }: { name: string }) => `hello ${name}`,
        broken: () => {
          throw new Error('the database is down');
        },
        explained: () => {
          throw new BadUserInputError('name is too long.', 'name');
        },
        slow: async () => {
          slowStarted = true;
          await new Promise<void>((resolve) => {
            releaseSlow = resolve;
          });
          return 'done';
        },
        // graphql-js turns each Error in a list into an error of the response.
        coded: (_: unknown, { codes }: { codes: string[] }) =>
          codes.map((code) => new GraphQLError(`failed with ${code}`, { extensions: { code } })),
      },
      Mutation: { touch: () => true },
    },
  },
]);

/** A plugin that fails the way a buggy plugin would: it throws before the response is made. */
const throwingPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async responseForOperation({ operationName }) {
        if (operationName === 'ExplodingPlugin') throw new Error('a plugin bug');
        return null;
      },
    };
  },
};

async function startService(operationLabel?: OperationLabeler) {
  const service = await createGraphQLService({
    name: 'kit-metrics',
    // Unexpected errors are logged; the lines stay in memory, out of the test output.
    logger: createLogger({ service: 'kit-metrics', destination: { write: () => {} } }),
    metrics: createMetrics('kit-metrics'),
    isProduction: false,
    graphql: { schema },
    context: async () => ({}),
    plugins: [throwingPlugin],
    ...(operationLabel ? { operationLabel } : {}),
  });
  const url = await service.listen(0, '127.0.0.1');
  return { service, url, origin: new URL(url).origin };
}

const post = (url: string, body: Record<string, unknown>, signal?: AbortSignal) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });

const readMetrics = async (origin: string) => (await fetch(`${origin}/metrics`)).text();

describe('operation metrics with the default label (first root field)', () => {
  let service: GraphQLService;
  let url: string;
  let origin: string;
  beforeAll(async () => ({ service, url, origin } = await startService()));
  afterAll(() => service.close());

  it('counts and times each operation by its first root field and outcome', async () => {
    await post(url, { query: '{ hello(name: "a") }' });
    await post(url, { query: 'query Greeting { hello(name: "b") }' });
    await post(url, { query: 'query AnyNameAtAll { broken }' });
    await post(url, { query: 'mutation { touch }' });

    const text = await readMetrics(origin);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'hello', outcome: 'success' })).toBe(2);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'broken', outcome: 'error' })).toBe(1);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'touch', outcome: 'success' })).toBe(1);
    // The client's operation name is free text: it never becomes a label.
    expect(labelValues(text, 'graphql_operations_total', 'operation')).not.toContain('AnyNameAtAll');
    expect(sumSamples(text, 'graphql_operation_duration_seconds_count', { operation: 'hello', outcome: 'success' })).toBe(2);
    expect(sumSamples(text, 'graphql_operation_duration_seconds_count', { operation: 'broken', outcome: 'error' })).toBe(1);
    expect(text).toMatch(/graphql_operations_total\{operation="hello",outcome="success",service="kit-metrics"\} 2/);
  });

  it('labels by the field name, not its alias, and looks through fragments', async () => {
    const before = sumSamples(await readMetrics(origin), 'graphql_operations_total', { operation: 'hello' });
    await post(url, { query: '{ chosenByTheClient: hello(name: "c") }' });
    await post(url, { query: '{ ...Greeting } fragment Greeting on Query { hello(name: "d") }' });
    await post(url, { query: '{ ... on Query { hello(name: "e") } }' });
    await post(url, { query: '{ __typename }' });

    const text = await readMetrics(origin);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'hello' }) - before).toBe(3);
    expect(sumSamples(text, 'graphql_operations_total', { operation: '__typename', outcome: 'success' })).toBe(1);
    expect(labelValues(text, 'graphql_operations_total', 'operation')).not.toContain('chosenByTheClient');
  });

  it('labels a document that does not parse or validate `invalid`, and a missing operation `unknown`', async () => {
    await post(url, { query: '{ hello(name: ' });
    await post(url, { query: '{ noSuchField }' });
    await post(url, { query: 'query A { hello(name: "a") } query B { broken }', operationName: 'C' });

    const text = await readMetrics(origin);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'invalid', outcome: 'error' })).toBe(2);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'unknown', outcome: 'error' })).toBe(1);
    expect(labelValues(text, 'graphql_operations_total', 'operation')).not.toContain('noSuchField');
  });

  it('counts every error of a response by its code', async () => {
    const before = await readMetrics(origin);
    const response = await post(url, { query: '{ coded(codes: ["NOT_FOUND", "NOT_FOUND", "FORBIDDEN"]) }' });
    expect(((await response.json()) as { errors: unknown[] }).errors).toHaveLength(3);
    await post(url, { query: '{ explained }' });
    await post(url, { query: '{ broken }' });
    await post(url, { query: '{ hello(name: ' });

    const after = await readMetrics(origin);
    const added = (code: string) =>
      sumSamples(after, 'graphql_errors_total', { code }) - sumSamples(before, 'graphql_errors_total', { code });
    expect(added('NOT_FOUND')).toBe(2);
    expect(added('FORBIDDEN')).toBe(1);
    expect(added('BAD_USER_INPUT')).toBe(1);
    expect(added('INTERNAL_SERVER_ERROR')).toBe(1);
    expect(added('GRAPHQL_PARSE_FAILED')).toBe(1);
  });

  it('brings graphql_requests_in_flight back to 0 after a success and after errors', async () => {
    await post(url, { query: '{ hello(name: "a") }' });
    await post(url, { query: '{ broken }' });
    await post(url, { query: '{ hello(name: ' });
    expect(sumSamples(await readMetrics(origin), 'graphql_requests_in_flight')).toBe(0);
  });

  it('brings it back to 0 when a plugin throws before the response is made', async () => {
    const response = await post(url, { query: 'query ExplodingPlugin { hello(name: "a") }' });
    expect(response.status).toBe(500);
    expect(sumSamples(await readMetrics(origin), 'graphql_requests_in_flight')).toBe(0);
  });

  it('counts a request in flight while it runs, and back to 0 once GraphQL is done after the client left', async () => {
    const aborter = new AbortController();
    slowStarted = false;
    const request = post(url, { query: '{ slow }' }, aborter.signal).catch((error: unknown) => error);
    await vi.waitFor(() => expect(slowStarted).toBe(true), { timeout: 10_000, interval: 20 });
    expect(sumSamples(await readMetrics(origin), 'graphql_requests_in_flight')).toBe(1);

    aborter.abort();
    expect(await request).toMatchObject({ name: 'AbortError' });
    releaseSlow();
    await vi.waitFor(async () => expect(sumSamples(await readMetrics(origin), 'graphql_requests_in_flight')).toBe(0), {
      timeout: 10_000,
      interval: 20,
    });
  });
});

describe('operation metrics with a service-provided label', () => {
  let service: GraphQLService;
  let url: string;
  let origin: string;
  const seen: (string | null)[] = [];
  beforeAll(
    async () =>
      ({ service, url, origin } = await startService(({ operationName, document }) => {
        seen.push(operationName);
        expect(document).toBeDefined();
        return operationName === 'KnownGreeting' ? 'KnownGreeting' : 'other';
      })),
  );
  afterAll(() => service.close());

  it('labels resolved operations by the labeler, and the ones that never resolved `invalid`', async () => {
    await post(url, { query: 'query KnownGreeting { hello(name: "a") }' });
    await post(url, { query: 'query MadeUpByAClient { hello(name: "b") }' });
    await post(url, { query: 'query KnownGreeting { noSuchField }' });

    const text = await readMetrics(origin);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'KnownGreeting', outcome: 'success' })).toBe(1);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'other', outcome: 'success' })).toBe(1);
    expect(sumSamples(text, 'graphql_operations_total', { operation: 'invalid', outcome: 'error' })).toBe(1);
    expect(seen).toEqual(['KnownGreeting', 'MadeUpByAClient']);
  });
});

describe('graphql_errors_total stays bounded', () => {
  let service: GraphQLService;
  let url: string;
  let origin: string;
  beforeAll(async () => ({ service, url, origin } = await startService()));
  afterAll(() => service.close());

  it(`keeps the first ${MAX_ERROR_CODES} well-formed codes and counts the rest, and malformed ones, as OTHER`, async () => {
    const wellFormed = Array.from({ length: MAX_ERROR_CODES + 6 }, (_, index) => `MADE_UP_${index}`);
    const malformed = ['not screaming case', 'A', `TOO_LONG_${'X'.repeat(64)}`, 'SPACE INSIDE'];
    await post(url, { query: '{ coded(codes: $codes) }'.replace('$codes', JSON.stringify(wellFormed)) });
    await post(url, { query: '{ coded(codes: $codes) }'.replace('$codes', JSON.stringify(malformed)) });
    // A code seen before keeps its series once the cap is reached.
    await post(url, { query: '{ coded(codes: ["MADE_UP_0"]) }' });

    const text = await readMetrics(origin);
    const codes = labelValues(text, 'graphql_errors_total', 'code');
    expect(codes).toHaveLength(MAX_ERROR_CODES + 1);
    expect(codes).toContain('OTHER');
    expect(codes).not.toContain(`MADE_UP_${MAX_ERROR_CODES}`);
    expect(sumSamples(text, 'graphql_errors_total', { code: 'OTHER' })).toBe(6 + malformed.length);
    expect(sumSamples(text, 'graphql_errors_total', { code: 'MADE_UP_0' })).toBe(2);
    expect(sumSamples(text, 'graphql_errors_total')).toBe(wellFormed.length + malformed.length + 1);
  });
});

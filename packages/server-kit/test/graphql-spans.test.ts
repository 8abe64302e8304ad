import { buildSubgraphSchema } from '@apollo/subgraph';
import { SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadUserInputError } from '../src/graphql/errors.js';
import { createPageLoader, tracedBatch } from '../src/graphql/batching.js';
import { createGraphQLService, type GraphQLService } from '../src/http/graphql-service.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createMetrics } from '../src/telemetry/metrics.js';
import { withSpan } from '../src/tracing/spans.js';
import { parentIdOf, startSpanRecorder, type SpanRecorder } from './fixtures/span-recorder.js';

// A GraphQL request in any service is a parse, a validate and an operation span under the request's
// span; a DataLoader batch is a span of its own, parent of what the batch runs.

/** What a user sent: it must never reach a span. */
const SECRET_NAME = 'ada.lovelace.91c2';

const schema = buildSubgraphSchema([
  {
    typeDefs: parse(`#graphql
    type Query { hello(name: String!): String! refused(name: String!): String }
  `),
    resolvers: {
      Query: {
        hello: (_: unknown, { name }: { name: string }) => `hello ${name}`,
        refused: (_: unknown, { name }: { name: string }) => {
          throw new BadUserInputError(`${name} is not a name we accept.`, 'name');
        },
      },
    },
  },
]);

let recorder: SpanRecorder;
let service: GraphQLService;
beforeAll(async () => {
  recorder = startSpanRecorder();
  service = await createGraphQLService({
    name: 'kit-test',
    logger: createLogger({ service: 'kit-test', level: 'silent' }),
    metrics: createMetrics('kit-test'),
    isProduction: false,
    graphql: { schema },
    context: async () => ({}),
  });
});
afterAll(async () => {
  await service.close();
  await recorder.stop();
});
beforeEach(() => {
  recorder.enableTracing();
  recorder.reset();
});

/** Runs an operation inside a span standing for the HTTP server span; resolves to that span's context. */
async function executeInRequest(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  return withSpan('test.request', {}, async (span) => {
    const response = await service.apollo.executeOperation({ query, variables, ...(operationName ? { operationName } : {}) });
    return { request: span.spanContext(), response };
  });
}

function spanNamed(name: string) {
  const found = recorder.spans().filter((span) => span.name === name);
  expect(
    found,
    `spans named ${name} in ${recorder
      .spans()
      .map((span) => span.name)
      .join(', ')}`,
  ).toHaveLength(1);
  return found[0]!;
}

function expectChildOf(request: SpanContext, ...names: string[]) {
  for (const name of names) {
    const span = spanNamed(name);
    expect(span.spanContext().traceId).toBe(request.traceId);
    expect(parentIdOf(span)).toBe(request.spanId);
  }
}

describe('GraphQL spans', () => {
  it('are parse, validate and `<type> <operation name>`, children of the request span', async () => {
    const { request } = await executeInRequest('query Greeting($name: String!) { hello(name: $name) }', { name: SECRET_NAME });

    expectChildOf(request, 'graphql.parse', 'graphql.validate', 'query Greeting');
    const operation = spanNamed('query Greeting');
    expect(operation.attributes).toEqual({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'Greeting' });
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);
    expect(JSON.stringify(recorder.spans().map((span) => span.attributes))).not.toContain(SECRET_NAME);
  });

  it('name an anonymous operation by its first root field', async () => {
    const { request } = await executeInRequest('{ hello(name: "x") }');
    expectChildOf(request, 'query hello');
    expect(spanNamed('query hello').attributes).toEqual({ 'graphql.operation.type': 'query' });
  });

  it('end with error status and the error codes, never the messages, when the response has errors', async () => {
    const { request } = await executeInRequest('query Refuse($name: String!) { refused(name: $name) }', { name: SECRET_NAME });

    const operation = spanNamed('query Refuse');
    expect(parentIdOf(operation)).toBe(request.spanId);
    expect(operation.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(operation.attributes).toMatchObject({ 'graphql.error.codes': ['BAD_USER_INPUT'], 'graphql.error.count': 1 });
    expect(JSON.stringify(recorder.spans().map((span) => [span.attributes, span.events, span.status]))).not.toContain(
      SECRET_NAME,
    );
  });

  it('mark the failing step: a syntax error on parse, an unknown field on validate', async () => {
    await executeInRequest('{ hello(name: ');
    expect(spanNamed('graphql.parse').status.code).toBe(SpanStatusCode.ERROR);
    expect(spanNamed('graphql.parse').attributes).toMatchObject({ 'graphql.error.codes': ['GRAPHQL_PARSE_FAILED'] });
    expect(spanNamed('graphql.operation').attributes).toMatchObject({ 'graphql.error.codes': ['GRAPHQL_PARSE_FAILED'] });

    recorder.reset();
    await executeInRequest('{ goodbye }');
    expect(spanNamed('graphql.validate').status.code).toBe(SpanStatusCode.ERROR);
    expect(spanNamed('graphql.validate').attributes).toMatchObject({ 'graphql.error.codes': ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it('are not made while tracing is off', async () => {
    recorder.disableTracing();
    const { response } = await executeInRequest('{ hello(name: "x") }');
    expect(response.body).toMatchObject({ kind: 'single', singleResult: { data: { hello: 'hello x' } } });
    expect(recorder.spans()).toEqual([]);
  });
});

describe('DataLoader batch spans', () => {
  it('wrap each batch with its key count, active for what the batch runs', async () => {
    let activeInBatch: string | undefined;
    const loader = new DataLoader<string, string>(
      tracedBatch('userById', async (ids) => {
        activeInBatch = trace.getActiveSpan()?.spanContext().spanId;
        return ids.map((id) => `user ${id}`);
      }),
    );
    const request = await withSpan('test.request', {}, async (span) => {
      expect(await Promise.all([loader.load('1'), loader.load('2'), loader.load('3')])).toEqual(['user 1', 'user 2', 'user 3']);
      return span.spanContext();
    });

    const batch = spanNamed('dataloader.batch userById');
    expect(batch.attributes).toEqual({ 'dataloader.keys': 3 });
    expect(parentIdOf(batch)).toBe(request.spanId);
    expect(activeInBatch).toBe(batch.spanContext().spanId);
  });

  it('name a page loader and end a failed batch with error status', async () => {
    const loader = createPageLoader<string, string>(
      async () => {
        throw new Error('database gone');
      },
      { name: 'productPageByCategory' },
    );
    await expect(
      loader.load({ parentId: 'c1', window: { direction: 'forward', size: 2, after: null, before: null } }),
    ).rejects.toThrow('database gone');
    const batch = spanNamed('dataloader.batch productPageByCategory');
    expect(batch.status.code).toBe(SpanStatusCode.ERROR);
    expect(batch.attributes).toMatchObject({ 'dataloader.keys': 1, 'error.type': 'Error' });
  });

  it('cost nothing while tracing is off: the batch runs as it is', async () => {
    recorder.disableTracing();
    const loader = new DataLoader<string, string>(tracedBatch('userById', async (ids) => ids.map((id) => id)));
    expect(await loader.load('1')).toBe('1');
    expect(recorder.spans()).toEqual([]);
  });
});

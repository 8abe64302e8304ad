import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';
import type { Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphQLService, type GraphQLService } from '../src/http/graphql-service.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createMetrics } from '../src/telemetry/metrics.js';

type Line = Record<string, unknown> & { msg?: string; req?: { id?: string } };

const schema = buildSubgraphSchema([
  {
    typeDefs: parse(`#graphql
    type Query { hello(name: String!): String! }
  `),
    resolvers: {
      Query: {
        hello: (_: unknown, { name }: { name: string }, context: unknown) => {
          (context as { logger: Logger }).logger.info({ name }, 'saying hello');
          return `hello ${name}`;
        },
      },
    },
  },
]);

const lines: Line[] = [];
let service: GraphQLService;
let url: string;

beforeAll(async () => {
  const logger = createLogger({
    service: 'access-test',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  });
  const routes = express.Router();
  routes.get('/fails', (_req, res) => {
    res.status(503).json({ error: 'unavailable' });
  });
  service = await createGraphQLService({
    name: 'access-test',
    logger,
    metrics: createMetrics('access-test'),
    isProduction: false,
    graphql: { schema },
    context: async ({ logger: requestLogger }) => ({ logger: requestLogger }),
    routes,
  });
  url = await service.listen(0, '127.0.0.1');
});
afterAll(() => service.close());

const linesOf = (requestId: string) => lines.filter((line) => line.req?.id === requestId);

describe('the access log', () => {
  it('writes one line per request with its id, method, path, status, time and operation name', async () => {
    const query = encodeURIComponent('query Hello($name: String!) { hello(name: $name) }');
    const variables = encodeURIComponent(JSON.stringify({ name: 'secret-value' }));
    const response = await fetch(`${url}?query=${query}&variables=${variables}`, {
      headers: { 'x-request-id': 'access-1', 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toEqual({ data: { hello: 'hello secret-value' } });
    await expect.poll(() => linesOf('access-1').filter((line) => line.msg === 'request completed')).toHaveLength(1);
    const [accessLine] = linesOf('access-1').filter((line) => line.msg === 'request completed');
    expect(accessLine).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'access-test',
      req: { id: 'access-1', method: 'GET', url: '/graphql' },
      operationName: 'Hello',
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    expect(JSON.stringify(accessLine)).not.toContain('secret-value');
  });

  it("tags the lines a resolver writes with the context's logger with the request", async () => {
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'access-2' },
      body: JSON.stringify({ query: '{ hello(name: "kit") }' }),
    });
    await expect.poll(() => linesOf('access-2').map((line) => line.msg)).toEqual(['saying hello', 'request completed']);
    expect(linesOf('access-2')[0]).toMatchObject({ req: { id: 'access-2', method: 'POST', url: '/graphql' }, name: 'kit' });
    expect(linesOf('access-2')[1]).not.toHaveProperty('operationName');
  });

  it('writes a 5xx as request errored, with an error naming the status', async () => {
    const response = await fetch(`${new URL(url).origin}/fails`, { headers: { 'x-request-id': 'access-3' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('x-request-id')).toBe('access-3');
    await expect.poll(() => linesOf('access-3')).toHaveLength(1);
    expect(linesOf('access-3')[0]).toMatchObject({
      level: 'info',
      req: { id: 'access-3', method: 'GET', url: '/fails' },
      res: { statusCode: 503 },
      err: { message: 'failed with status code 503' },
      msg: 'request errored',
    });
  });
});

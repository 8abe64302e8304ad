import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireServiceCredential, SERVICE_CREDENTIAL_HEADER } from '../src/auth/request-guards.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createMetrics } from '../src/telemetry/metrics.js';
import { createGraphQLService, type GraphQLService } from '../src/http/graphql-service.js';
import { labelValues, sumSamples } from './support/metrics-text.js';

const schema = buildSubgraphSchema([
  {
    typeDefs: parse(`#graphql
    type Query { hello: String! }
  `),
    resolvers: { Query: { hello: () => 'hello' } },
  },
]);

let service: GraphQLService;
let origin: string;
const logged: { req?: { id: string; url: string }; res?: { statusCode: number }; err?: { message: string } }[] = [];

beforeAll(async () => {
  const routes = express.Router();
  routes.get('/internal/ping', (req, res) => {
    res.json({ pong: true, requestId: req.id as string });
  });
  routes.post('/internal/guarded', requireServiceCredential('s3cret'), express.json(), (req, res) => {
    res.status(201).json({ received: req.body });
  });
  routes.get('/internal/broken', () => {
    throw new Error('postgres://secret@db is down');
  });
  routes.get('/internal/reservations/:orderId', (req, res) => {
    res.json({ orderId: req.params.orderId });
  });
  const nested = express.Router();
  nested.delete('/:sagaId', (_req, res) => {
    res.status(204).end();
  });
  routes.use('/internal/sagas', nested);
  service = await createGraphQLService({
    name: 'kit-routes',
    logger: createLogger({ service: 'kit-routes', destination: { write: (line: string) => void logged.push(JSON.parse(line)) } }),
    metrics: createMetrics('kit-routes'),
    isProduction: false,
    graphql: { schema },
    context: async () => ({}),
    routes,
  });
  origin = new URL(await service.listen(0, '127.0.0.1')).origin;
});
afterAll(() => service.close());

describe('extra routes beside GraphQL', () => {
  it('are served with the request id of the access log, while /graphql and /health answer as before', async () => {
    const response = await fetch(`${origin}/internal/ping`, { headers: { 'x-request-id': 'route-1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('route-1');
    expect(await response.json()).toEqual({ pong: true, requestId: 'route-1' });
    expect(logged).toContainEqual(
      expect.objectContaining({
        req: expect.objectContaining({ id: 'route-1', url: '/internal/ping' }),
        res: { statusCode: 200 },
      }),
    );

    const graphql = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(await graphql.json()).toEqual({ data: { hello: 'hello' } });
    expect((await fetch(`${origin}/health`)).status).toBe(200);
  });

  it('hand their unexpected errors to the JSON error handler: a bare 500 for the client, the details in the log', async () => {
    const response = await fetch(`${origin}/internal/broken`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({
      errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(body).not.toContain('postgres://');
    expect(logged.some((line) => line.err?.message.includes('postgres://secret@db'))).toBe(true);
  });
});

describe('requireServiceCredential', () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${origin}/internal/guarded`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ n: 1 }),
    });

  it('answers 401 UNAUTHENTICATED without the header and 403 FORBIDDEN with a wrong credential', async () => {
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'This API needs a service credential in the x-service-credential header.' },
    });
    const wrong = await post({ [SERVICE_CREDENTIAL_HEADER]: 's3cret-but-not-quite' });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({
      error: { code: 'FORBIDDEN', message: 'The service credential is not valid for this API.' },
    });
  });

  it('lets a request with the credential through', async () => {
    const response = await post({ [SERVICE_CREDENTIAL_HEADER]: 's3cret' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ received: { n: 1 } });
  });
});

describe('http_responses_total', () => {
  const readMetrics = async () => (await fetch(`${origin}/metrics`)).text();
  const responses = (text: string, route: string, statusClass: string) =>
    sumSamples(text, 'http_responses_total', { route, status_class: statusClass, service: 'kit-routes' });

  it('counts responses by route pattern and status class, never by the raw path', async () => {
    const before = await readMetrics();
    await fetch(`${origin}/internal/reservations/order-1`);
    await fetch(`${origin}/internal/reservations/order-2`);
    await fetch(`${origin}/internal/sagas/saga-9`, { method: 'DELETE' });
    await fetch(`${origin}/internal/broken`);
    await fetch(`${origin}/no/such/path/${Math.random()}`);
    const graphql = (body: string) =>
      fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await graphql(JSON.stringify({ query: '{ hello }' }));
    await graphql('{"query": ');

    await vi.waitFor(async () => {
      const after = await readMetrics();
      const added = (route: string, statusClass: string) =>
        responses(after, route, statusClass) - responses(before, route, statusClass);
      expect(added('/internal/reservations/:orderId', '2xx')).toBe(2);
      expect(added('/internal/sagas/:sagaId', '2xx')).toBe(1);
      expect(added('/internal/broken', '5xx')).toBe(1);
      expect(added('other', '4xx')).toBe(1);
      expect(added('/graphql', '2xx')).toBe(1);
      expect(added('/graphql', '4xx')).toBe(1);
      const routes = labelValues(after, 'http_responses_total', 'route');
      expect(routes.filter((route) => route.includes('order-') || route.includes('saga-9') || route.startsWith('/no/'))).toEqual(
        [],
      );
    });
  });

  it('leaves the probes out', async () => {
    await fetch(`${origin}/health`);
    await fetch(`${origin}/ready`);
    await fetch(`${origin}/metrics`);
    const text = await readMetrics();
    expect(
      labelValues(text, 'http_responses_total', 'route').filter((route) => ['/health', '/ready', '/metrics'].includes(route)),
    ).toEqual([]);
    const total = sumSamples(text, 'http_responses_total');
    await fetch(`${origin}/health`);
    expect(sumSamples(await readMetrics(), 'http_responses_total')).toBe(total);
  });
});
